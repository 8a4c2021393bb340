package io.chat.api.events;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chat.api.Fixtures;
import io.chat.common.events.ChatEvent;
import io.chat.common.events.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Following a chat over SSE on one replica, against the real MariaDB and RabbitMQ, with the worker's
 * part (events committed to chat_events, then published to the fan-out, or not) done by FakeWorker.
 */
@QuarkusTest
class EventStreamTest extends FollowedChatTest {

    static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void shouldReplayTheWholeHistoryFromZeroThenFollowLiveEvents() throws Exception {
        worker.commitAndPublish(chat, 3);
        try (SseClient client = open("?since=0", Map.of())) {
            assertEquals(200, client.status());
            assertTrue(client.contentType().startsWith("text/event-stream"), client.contentType());
            List<SseClient.Event> history = client.next(3, WITHIN);
            assertEquals(List.of("1", "2", "3"), history.stream().map(SseClient.Event::id).toList());
            assertEquals(ChatEvent.CREATED, history.get(0).type());
            assertEquals("{\"number\":1,\"chat_number\":1,\"sender\":null,\"body\":\"x\"}", history.get(0).data());
            awaitSubscribed(1);
            worker.commitAndPublish(chat, 1);
            assertEquals("4", client.next(WITHIN).id());
        }
    }

    @Test
    void shouldResumeAfterTheLastEventIdHeaderWhichWinsOverSince() throws Exception {
        worker.commitAndPublish(chat, 5);
        try (SseClient byHeader = open("?since=0", Map.of("Last-Event-ID", "3"));
                SseClient byQuery = open("?since=4", Map.of())) {
            assertEquals(List.of("4", "5"), byHeader.next(2, WITHIN).stream().map(SseClient.Event::id).toList());
            assertEquals("5", byQuery.next(WITHIN).id());
            awaitSubscribed(2);
            worker.commitAndPublish(chat, 1);
            assertEquals("6", byHeader.next(WITHIN).id());
            assertEquals("6", byQuery.next(WITHIN).id());
        }
    }

    @Test
    void shouldFollowOnlyWhatComesNextWithoutAnId() throws Exception {
        worker.commitAndPublish(chat, 2);
        try (SseClient client = open("", Map.of())) {
            awaitSubscribed(1);
            worker.commitAndPublish(chat, 1);
            assertEquals("3", client.next(WITHIN).id());
        }
    }

    @Test
    void shouldSendOneResetForAnIdThatIsNotOneOfThisChats() throws Exception {
        worker.commitAndPublish(chat, 2);
        // Past the chat's last event, out of range, not a number, negative, not canonical.
        for (String id : List.of("3", "99999999999999999999", "abc", "-1", "01")) {
            long now = new EventStore(dataSource).lastSeq(chat);
            try (SseClient client = open("", Map.of("Last-Event-ID", id))) {
                SseClient.Event reset = client.next(WITHIN);
                assertEquals("reset", reset.type(), id);
                assertEquals("{}", reset.data());
                assertEquals(String.valueOf(now), reset.id(), "the reset's id resumes from now on, for " + id);
                awaitSubscribed(1);
                worker.commitAndPublish(chat, 1);
                SseClient.Event next = client.next(WITHIN);
                assertEquals(String.valueOf(now + 1), next.id(), id);
                assertEquals(ChatEvent.CREATED, next.type());
            }
            await().atMost(WITHIN).until(() -> streams.subscribers(chat) == 0);
        }
    }

    /** A fan-out message lost (or late): the next one reveals the gap, which is read from MySQL, in order. */
    @Test
    void shouldFillAGapFromMySqlAndNeverRepeatAnEvent() throws Exception {
        try (SseClient client = open("", Map.of())) {
            awaitSubscribed(1);
            worker.commit(chat, 2); // never published
            List<ChatEvent> third = worker.commitAndPublish(chat, 1);
            assertEquals(List.of("1", "2", "3"), client.next(3, WITHIN).stream().map(SseClient.Event::id).toList());
            worker.publish(third); // a repeat
            worker.publish(worker.commit(chat, 1));
            assertEquals("4", client.next(WITHIN).id());
            assertNull(client.poll(Duration.ofMillis(300)), "nothing repeated");
        }
    }

    /** The last event's fan-out lost, and no event after it: the heartbeat's check against MySQL sends it. */
    @Test
    void shouldSendAnEventWhoseFanOutWasLostByTheNextHeartbeat() throws Exception {
        try (SseClient client = open("", Map.of())) {
            awaitSubscribed(1);
            worker.commit(chat, 1);
            assertEquals("1", client.next(WITHIN).id());
        }
    }

    @Test
    void shouldKeepAnIdleStreamOpenWithCommentLines() throws Exception {
        try (SseClient client = open("", Map.of())) {
            await().atMost(WITHIN).until(() -> client.comments() >= 2);
            assertNull(client.poll(Duration.ZERO), "comments are not events");
        }
    }

    @Test
    void shouldAnswerAProblemForAChatOrApplicationThatDoesNotExist() throws Exception {
        try (SseClient noChat = SseClient.open(base() + "/applications/" + application + "/chats/2/events", Map.of());
                SseClient noApplication = SseClient.open(base() + "/applications/" + "A".repeat(22) + "/chats/1/events", Map.of())) {
            for (SseClient client : List.of(noChat, noApplication)) {
                assertEquals(404, client.status());
                assertTrue(client.contentType().startsWith("application/problem+json"), client.contentType());
                assertTrue(client.body().contains("\"status\":404"));
            }
        }
    }

    @Test
    void shouldFollowByAUserTokenInTheHeaderOrTheQueryAndOnlyItsChats() throws Exception {
        Fixtures.createChat(application);
        String token = given().contentType(ContentType.JSON).body(Map.of("chats", List.of(1)))
                .when().post("/applications/{token}/users/u1/tokens", application).then().statusCode(201).extract().path("token");
        worker.commitAndPublish(chat, 2);
        try (SseClient header = SseClient.open(base() + "/chats/1/events?since=1", Map.of("Authorization", "Bearer " + token));
                SseClient query = SseClient.open(base() + "/chats/1/events?since=0&access_token=" + token, Map.of());
                SseClient otherChat = SseClient.open(base() + "/chats/2/events?access_token=" + token, Map.of());
                SseClient badToken = SseClient.open(base() + "/chats/1/events?access_token=" + token + "x", Map.of());
                SseClient noToken = SseClient.open(base() + "/chats/1/events", Map.of())) {
            assertEquals("2", header.next(WITHIN).id());
            assertEquals(List.of("1", "2"), query.next(2, WITHIN).stream().map(SseClient.Event::id).toList());
            assertEquals(404, otherChat.status());
            assertEquals(401, badToken.status());
            assertEquals(401, noToken.status());
        }
        // The query parameter is taken on the events path only: elsewhere a header is the only way.
        given().when().get("/chats/1/messages?access_token=" + token).then().statusCode(401);
    }

    /** Access is checked when a stream opens, and again at every heartbeat: a revoked token's stream ends. */
    @Test
    void shouldEndTheStreamsOfARevokedUserTokenAndOfADeletedChat() throws Exception {
        String token = given().when().post("/applications/{token}/users/u1/tokens", application).then().statusCode(201)
                .extract().path("token");
        String other = given().when().post("/applications/{token}/users/u2/tokens", application).then().statusCode(201)
                .extract().path("token");
        try (SseClient revoked = SseClient.open(base() + "/chats/1/events?access_token=" + token, Map.of());
                SseClient kept = SseClient.open(base() + "/chats/1/events?access_token=" + other, Map.of());
                SseClient ofTheApplication = open("", Map.of())) {
            awaitSubscribed(3);
            given().when().delete("/applications/{token}/users/u1/tokens", application).then().statusCode(204);
            await().atMost(WITHIN).until(() -> !revoked.isOpen());
            assertTrue(kept.isOpen(), "another user's stream goes on");
            assertEquals(2, streams.subscribers(chat));

            given().when().delete("/applications/{token}/chats/1", application).then().statusCode(204);
            await().atMost(WITHIN).until(() -> !kept.isOpen() && !ofTheApplication.isOpen());
            assertEquals(0, streams.subscribers(chat));
        }
    }

    /** chat.events.max-per-user is 3 in tests, max-per-application 20: past either, a 429 problem; the open ones go on. */
    @Test
    void shouldCapTheStreamsOfAUserAndOfAnApplication() throws Exception {
        String token = given().when().post("/applications/{token}/users/u9/tokens", application).then().statusCode(201)
                .extract().path("token");
        String userStream = base() + "/chats/1/events?access_token=" + token;
        List<SseClient> opened = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                opened.add(SseClient.open(userStream, Map.of()));
                assertEquals(200, opened.get(i).status());
            }
            try (SseClient fourth = SseClient.open(userStream, Map.of())) {
                assertEquals(429, fourth.status());
                assertTrue(fourth.contentType().startsWith("application/problem+json"), fourth.contentType());
                assertTrue(fourth.body().contains("too-many-streams"));
            }
            opened.remove(0).close();
            await().atMost(WITHIN).until(() -> {
                try (SseClient again = SseClient.open(userStream, Map.of())) {
                    return again.status() == 200;
                }
            });
            // Two streams of the user are open; the application may have 18 more, not 19.
            awaitSubscribed(2);
            for (int i = 0; i < 18; i++) {
                SseClient stream = open("", Map.of());
                opened.add(stream);
                assertEquals(200, stream.status(), "stream " + i);
            }
            try (SseClient over = open("", Map.of())) {
                assertEquals(429, over.status());
            }
            assertTrue(opened.stream().allMatch(SseClient::isOpen), "the open streams go on");
        } finally {
            for (SseClient stream : opened) {
                stream.close();
            }
        }
        await().atMost(WITHIN).until(() -> streams.subscribers(chat) == 0);
    }

    private SseClient open(String query, Map<String, String> headers) throws Exception {
        return SseClient.open(base() + "/applications/" + application + "/chats/1/events" + query, headers);
    }

    static String base() {
        return "http://localhost:" + RestAssured.port;
    }
}
