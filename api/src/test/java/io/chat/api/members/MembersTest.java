package io.chat.api.members;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.api.Fixtures;
import io.chat.api.chat.ChatEntity;
import io.chat.api.config.ApiConfig;
import io.chat.api.events.ChatStreams;
import io.chat.api.events.EventFanout;
import io.chat.api.identity.Caller;
import io.chat.common.events.SocketClient;
import io.chat.common.events.SseClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Members and typing on one replica, against the real Redis and RabbitMQ (the fan-out carries the
 * ephemeral events); a second Members stands for another replica, one that dies. Across real
 * replicas: the stack's SocketsIT.
 */
@QuarkusTest
class MembersTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EventFanout fanout;

    @Inject
    ChatStreams streams;

    @Inject
    RedisDataSource redis;

    @Inject
    ApiConfig config;

    private String application;

    @BeforeEach
    void setUp() {
        application = Fixtures.createApplication();
        Fixtures.createChat(application);
        await().atMost(WITHIN).until(fanout::isConnected);
    }

    @Test
    void shouldListMembersAndSayWhenAUserJoinsAndLeaves() throws Exception {
        String bob = userToken("bob");
        try (SocketClient watcher = socket("").awaitLive(WITHIN)) {
            SocketClient alice = socket("?user=alice");
            assertEquals(member("member.joined", "alice"), next(watcher));
            SseClient aliceAgain = SseClient.open(base() + "/applications/" + application + "/chats/1/events?user=alice", Map.of());
            SocketClient bobs = SocketClient.open(ws() + "/chats/1/socket?access_token=" + bob, Map.of());
            assertEquals(member("member.joined", "bob"), next(watcher), "alice's second connection joins nobody");

            given().when().get("/applications/{token}/chats/1/members", application).then().statusCode(200)
                    .body("data.user", contains("alice", "bob"))
                    .body("data.connections", contains(2, 1));
            String since = given().header("Authorization", "Bearer " + bob).when().get("/chats/1/members").then().statusCode(200)
                    .body("data.user", contains("alice", "bob")).extract().path("data[0].since");
            assertTrue(Instant.parse(since).isBefore(Instant.now().plusSeconds(1)), since);

            alice.close();
            aliceAgain.close();
            assertEquals(member("member.left", "alice"), next(watcher), "left once, when alice's last connection went");
            bobs.close();
            assertEquals(member("member.left", "bob"), next(watcher));
            given().when().get("/applications/{token}/chats/1/members", application).then().body("data", empty());
            // Nothing more: no second member.left, however late (the heartbeat is 1 s in tests).
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> watcher.pending() == 0);
        }
    }

    @Test
    void shouldPassTypingOnToEveryFollowerWithoutAnId() throws Exception {
        String bob = userToken("bob");
        try (SseClient watcher = SseClient.open(base() + "/applications/" + application + "/chats/1/events", Map.of())) {
            await().atMost(WITHIN).until(() -> watcher.comments() >= 1); // its stream has started
            SocketClient bobs = SocketClient.open(ws() + "/chats/1/socket?access_token=" + bob, Map.of());
            SseClient.Event joined = watcher.next(WITHIN);
            assertEquals("member.joined", joined.type());
            assertNull(joined.id(), "ephemeral events have no id");
            bobs.send("{\"type\":\"typing\"}");
            SseClient.Event typing = watcher.next(WITHIN);
            assertEquals("typing", typing.type());
            assertEquals("{\"user\":\"bob\"}", typing.data());
            assertNull(typing.id());
            bobs.close();
        }
    }

    /** A replica that dies leaves its members listed for at most LIVE_HEARTBEATS heartbeats (1 s in tests), then they leave. */
    @Test
    void shouldSweepTheMembersOfAReplicaThatStoppedWriting() throws Exception {
        long chatId = chatId();
        Members dead = new Members(redis, config);
        try (SocketClient watcher = socket("").awaitLive(WITHIN)) {
            await().atMost(WITHIN).until(() -> streams.subscribers(chatId) == 1);
            dead.joined(chatId, "ghost");
            await().atMost(WITHIN).until(() -> given().when().get("/applications/{token}/chats/1/members", application)
                    .then().extract().path("data.user").equals(List.of("ghost")));
            Instant gone = Instant.now();
            // The dead replica never writes again: its time runs out, and this replica sweeps it at a heartbeat.
            assertEquals(member("member.left", "ghost"), next(watcher));
            long took = Duration.between(gone, Instant.now()).toMillis();
            assertTrue(took >= 1_000 && took <= (Members.LIVE_HEARTBEATS + 6) * 1_000L, took + " ms");
            given().when().get("/applications/{token}/chats/1/members", application).then().body("data", empty());
        } finally {
            dead.stop(null);
        }
    }

    @Test
    void shouldAnswer404ForAChatThatIsNotThere() {
        given().when().get("/applications/{token}/chats/9/members", application).then().statusCode(404)
                .contentType("application/problem+json");
        given().when().get("/applications/{token}x/chats/1/members", application).then().statusCode(404);
        String limited = given().contentType("application/json").body(Map.of("chats", List.of(2)))
                .when().post("/applications/{token}/users/u1/tokens", application).then().statusCode(201).extract().path("token");
        given().header("Authorization", "Bearer " + limited).when().get("/chats/1/members").then().statusCode(404);
        given().when().get("/chats/1/members").then().statusCode(401);
        given().when().get("/applications/{token}/chats/1/events?user=not%20valid", application).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", is("user"));
        given().when().get("/applications/{token}/chats/1/members", application).then().statusCode(200).body("data", is(List.of()));
    }

    private long chatId() {
        return QuarkusTransaction.requiringNew().call(() -> ChatEntity.findLive(new Caller.Application(application), 1).orElseThrow().id);
    }

    private static String member(String type, String user) {
        return type + " " + user;
    }

    /** The next ephemeral event of a socket, as "type user". */
    private static String next(SocketClient socket) throws Exception {
        JsonNode frame = JSON.readTree(socket.next(WITHIN));
        assertFalse(frame.has("id"), frame.toString());
        return frame.get("type").textValue() + " " + frame.get("data").get("user").textValue();
    }

    private String userToken(String user) {
        return given().when().post("/applications/{token}/users/{user}/tokens", application, user).then().statusCode(201)
                .extract().path("token");
    }

    private SocketClient socket(String query) throws Exception {
        return SocketClient.open(ws() + "/applications/" + application + "/chats/1/socket" + query, Map.of());
    }

    private static String base() {
        return "http://localhost:" + RestAssured.port;
    }

    private static String ws() {
        return "ws://localhost:" + RestAssured.port;
    }
}
