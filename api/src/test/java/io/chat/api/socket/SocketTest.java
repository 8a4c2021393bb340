package io.chat.api.socket;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.api.Fixtures;
import io.chat.api.events.FollowedChatTest;
import io.chat.common.events.SocketClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A chat's socket on one replica, against the real MariaDB, RabbitMQ and Redis: events as over SSE,
 * posting with acks, bad frames, the frame limits, and who may open one. Members and typing are in
 * MembersTest.
 */
@QuarkusTest
class SocketTest extends FollowedChatTest {

    static final Duration WITHIN = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldReplayFromZeroThenFollowLiveEventsAndResumeBySince() throws Exception {
        worker.commitAndPublish(chat, 3);
        try (SocketClient socket = open("?since=0")) {
            List<JsonNode> history = parse(socket.next(3, WITHIN));
            assertEquals(List.of("1", "2", "3"), history.stream().map(frame -> frame.get("id").textValue()).toList());
            assertEquals("message.created", history.get(0).get("type").textValue());
            assertEquals(1, history.get(0).get("data").get("number").intValue(), "data is the Message, as JSON");
            awaitSubscribed(1);
            worker.commitAndPublish(chat, 1);
            assertEquals("4", parse(socket.next(WITHIN)).get("id").textValue());
        }
        try (SocketClient resumed = open("?since=2")) {
            assertEquals(List.of("3", "4"), parse(resumed.next(2, WITHIN)).stream().map(frame -> frame.get("id").textValue()).toList());
        }
        try (SocketClient unknown = open("?since=99")) {
            JsonNode reset = parse(unknown.next(WITHIN));
            assertEquals("reset", reset.get("type").textValue());
            assertEquals("4", reset.get("id").textValue());
            assertEquals("{}", reset.get("data").toString());
        }
    }

    @Test
    void shouldAckAPostAsA202WouldAndRepeatItForTheSameIdempotencyKey() throws Exception {
        try (SocketClient socket = open("")) {
            socket.send("{\"type\":\"message.create\",\"body\":\"over the socket\",\"ref\":\"c1\",\"sender\":\"ann\"}");
            JsonNode ack = parse(socket.next(WITHIN));
            assertEquals("ack", ack.get("type").textValue());
            assertEquals("c1", ack.get("ref").textValue());
            assertEquals(1, ack.get("data").get("number").intValue());
            assertEquals("over the socket", ack.get("data").get("body").textValue());
            assertEquals("ann", ack.get("data").get("sender").textValue());

            String keyed = "{\"type\":\"message.create\",\"body\":\"once\",\"ref\":\"%s\",\"idempotency_key\":\"k-1\"}";
            socket.send(keyed.formatted("c2"));
            socket.send(keyed.formatted("c3"));
            JsonNode first = parse(socket.next(WITHIN));
            JsonNode repeat = parse(socket.next(WITHIN));
            assertEquals("c2", first.get("ref").textValue());
            assertEquals("c3", repeat.get("ref").textValue());
            assertEquals(2, first.get("data").get("number").intValue());
            assertEquals(first.get("data"), repeat.get("data"), "the same key answers the first ack again");
        }
        // A POST after them gets the next number: the socket's posts took 1 and 2, and nothing else.
        given().contentType("application/json").body("{\"body\":\"by request\"}")
                .when().post("/applications/{token}/chats/1/messages", application).then().statusCode(202).body("number", is(3));
    }

    @Test
    void shouldAnswerBadFramesWithErrorFramesAndStayOpen() throws Exception {
        try (SocketClient socket = open("")) {
            socket.send("not json");
            assertError(parse(socket.next(WITHIN)), null, 400);
            socket.send("[1,2]");
            assertError(parse(socket.next(WITHIN)), null, 400);
            socket.send("{\"type\":\"message.delete\",\"ref\":\"r1\"}");
            assertError(parse(socket.next(WITHIN)), "r1", 400);
            socket.send("{\"type\":\"message.create\",\"body\":\"   \",\"ref\":\"r2\"}");
            JsonNode blank = parse(socket.next(WITHIN));
            assertError(blank, "r2", 400);
            assertEquals("body", blank.get("data").get("errors").get(0).get("field").textValue());
            socket.send("{\"type\":\"message.create\",\"body\":\"" + "x".repeat(10_001) + "\",\"ref\":\"r3\"}");
            assertError(parse(socket.next(WITHIN)), "r3", 400);
            socket.send("{\"type\":\"message.create\",\"body\":7,\"ref\":\"r4\"}");
            assertError(parse(socket.next(WITHIN)), "r4", 400);
            socket.send("{\"type\":\"message.create\",\"body\":\"hi\",\"sender\":\"not valid!\",\"ref\":\"r5\"}");
            assertError(parse(socket.next(WITHIN)), "r5", 400);
            socket.send("{\"type\":\"typing\",\"ref\":\"r6\"}");
            assertError(parse(socket.next(WITHIN)), "r6", 400); // an application's socket without user= is nobody
            socket.send("{\"type\":\"message.create\",\"body\":\"still here\",\"ref\":\"ok\"}");
            JsonNode ack = parse(socket.next(WITHIN));
            assertEquals("ack", ack.get("type").textValue());
            assertEquals("ok", ack.get("ref").textValue());
            assertTrue(socket.isOpen());
        }
    }

    @Test
    void shouldCloseASocketThatSendsAFrameOver64KibWith1009AndNoOther() throws Exception {
        try (SocketClient big = open(""); SocketClient other = open("")) {
            big.send("{\"type\":\"message.create\",\"body\":\"" + "x".repeat(70_000) + "\"}");
            assertEquals(1009, big.closed(WITHIN).code());
            other.send("{\"type\":\"message.create\",\"body\":\"unharmed\",\"ref\":\"a\"}");
            assertEquals("ack", parse(other.next(WITHIN)).get("type").textValue());
        }
    }

    /** chat.events.socket-frames is 20 a second (a burst of 40): past it 429 error frames, and a client that goes on is closed. */
    @Test
    void shouldRateLimitAFloodOfFramesThenCloseAClientThatIgnoresIt() throws Exception {
        Instant started = Instant.now();
        try (SocketClient flood = open("?user=flooder"); SocketClient calm = open("")) {
            calm.awaitLive(WITHIN);
            flood.awaitLive(WITHIN);
            for (int i = 0; i < 300 && flood.isOpen(); i++) {
                flood.send("{\"type\":\"typing\"}");
            }
            assertEquals(1008, flood.closed(WITHIN).code());
            List<JsonNode> refused = parse(flood.drain()).stream().filter(frame -> !isEphemeral(frame)).toList();
            assertFalse(refused.isEmpty(), "429 error frames before the close");
            refused.forEach(frame -> assertError(frame, null, 429));
            calm.send("{\"type\":\"message.create\",\"body\":\"unharmed\",\"ref\":\"a\"}");
            List<JsonNode> seen = new ArrayList<>();
            do {
                seen.add(parse(calm.next(WITHIN)));
            } while (!seen.get(seen.size() - 1).get("type").textValue().equals("ack"));
            long typing = seen.stream().filter(frame -> frame.get("type").textValue().equals("typing")).count();
            long lasted = Duration.between(started, Instant.now()).toSeconds();
            // At most one typing a second per socket was passed on, of the hundreds sent.
            assertTrue(typing >= 1 && typing <= lasted + 1, typing + " typing events in " + lasted + " s: " + seen);
        }
    }

    @Test
    void shouldRateLimitBinaryFramesLikeTextOnes() throws Exception {
        try (SocketClient flood = open("")) {
            flood.awaitLive(WITHIN);
            for (int i = 0; i < 300 && flood.isOpen(); i++) {
                flood.sendBinary(new byte[] {1, 2, 3});
            }
            assertEquals(1008, flood.closed(WITHIN).code());
            List<JsonNode> answers = parse(flood.drain());
            assertTrue(answers.stream().anyMatch(frame -> frame.get("data").get("status").intValue() == 400), "binary frames are not JSON");
            assertTrue(answers.stream().anyMatch(frame -> frame.get("data").get("status").intValue() == 429), "then refused");
        }
    }

    /** A post is checked against the token as a request is: revoked, it is refused at once, whatever the heartbeat does. */
    @Test
    void shouldRefuseAPostWithARevokedTokenAndCloseTheSocket() throws Exception {
        String token = given().when().post("/applications/{token}/users/u1/tokens", application).then().statusCode(201)
                .extract().path("token");
        try (SocketClient socket = SocketClient.open(ws() + "/chats/1/socket?access_token=" + token, Map.of())) {
            socket.awaitLive(WITHIN);
            given().when().delete("/applications/{token}/users/u1/tokens", application).then().statusCode(204);
            socket.send("{\"type\":\"message.create\",\"body\":\"after revocation\",\"ref\":\"late\"}");
            SocketClient.Closed closed = socket.closed(WITHIN);
            List<JsonNode> frames = parse(socket.drain()).stream().filter(frame -> !isEphemeral(frame)).toList();
            assertTrue(frames.stream().noneMatch(frame -> frame.get("type").textValue().equals("ack")), frames.toString());
            // Refused by the post's own check (401, then 1008), or, if the heartbeat came first, by the stream's end (1001).
            if (closed.code() == 1008) {
                assertError(frames.get(0), "late", 401);
            } else {
                assertEquals(1001, closed.code(), closed.toString());
            }
        }
    }

    /** chat.events.buffer is 100 in tests: a socket that stops reading is cut off, and holds no other back. */
    @Test
    void shouldCutOffASocketThatStopsReadingAndNotHoldBackTheOthers() throws Exception {
        String big = "y".repeat(60_000);
        try (SocketClient reader = open(""); Socket stalled = stalledSocket()) {
            awaitSubscribed(2);
            int total = 400;
            for (int i = 0; i < total / 10; i++) {
                worker.publish(worker.commit(chat, 10, big));
            }
            List<String> ids = parse(reader.next(total, WITHIN)).stream().map(frame -> frame.get("id").textValue()).toList();
            assertEquals(LongStream.rangeClosed(1, total).mapToObj(String::valueOf).toList(), ids);
            awaitSubscribed(1);
        }
    }

    @Test
    void shouldCheckTokensAndChatsOnTheUpgrade() throws Exception {
        Fixtures.createChat(application);
        String token = given().contentType("application/json").body(Map.of("chats", List.of(1)))
                .when().post("/applications/{token}/users/u1/tokens", application).then().statusCode(201).extract().path("token");
        try (SocketClient header = SocketClient.open(ws() + "/chats/1/socket", Map.of("Authorization", "Bearer " + token));
                SocketClient query = SocketClient.open(ws() + "/chats/1/socket?access_token=" + token, Map.of())) {
            header.send("{\"type\":\"message.create\",\"body\":\"mine\",\"ref\":\"m\"}");
            JsonNode ack = reply(header);
            assertEquals("u1", ack.get("data").get("sender").textValue(), "a user token posts as its user");
            query.send("{\"type\":\"message.create\",\"body\":\"as another\",\"sender\":\"u2\",\"ref\":\"x\"}");
            assertError(reply(query), "x", 403);
        }
        assertEquals(404, SocketClient.refusal(ws() + "/chats/2/socket?access_token=" + token, Map.of()), "outside the token's chats");
        assertEquals(401, SocketClient.refusal(ws() + "/chats/1/socket?access_token=" + token + "x", Map.of()));
        assertEquals(401, SocketClient.refusal(ws() + "/chats/1/socket", Map.of()));
        assertEquals(401, SocketClient.refusal(ws() + "/chats/1/socket", Map.of("Authorization", "Bearer " + application)));
        assertEquals(404, SocketClient.refusal(ws() + "/applications/" + application + "x/chats/1/socket", Map.of()));
        assertEquals(404, SocketClient.refusal(ws() + "/applications/" + application + "/chats/01/socket", Map.of()));
        assertEquals(404, SocketClient.refusal(ws() + "/applications/" + application + "/chats/9/socket", Map.of()));
        assertEquals(400, SocketClient.refusal(ws() + "/applications/" + application + "/chats/1/socket?user=no%20spaces", Map.of()));
    }

    @Test
    void shouldCloseTheSocketOfARevokedTokenWithTheIdToResumeFrom() throws Exception {
        String token = given().when().post("/applications/{token}/users/u1/tokens", application).then().statusCode(201)
                .extract().path("token");
        worker.commitAndPublish(chat, 2);
        try (SocketClient socket = SocketClient.open(ws() + "/chats/1/socket?since=0&access_token=" + token, Map.of())) {
            assertEquals(2, socket.next(2, WITHIN).size());
            given().when().delete("/applications/{token}/users/u1/tokens", application).then().statusCode(204);
            SocketClient.Closed closed = socket.closed(WITHIN);
            assertEquals(1001, closed.code());
            assertEquals("stream ended; resume with since=2", closed.reason());
        }
        await().atMost(WITHIN).until(() -> streams.subscribers(chat) == 0);
    }

    /** chat.events.max-per-user is 3 in tests: the fourth socket of a user is refused with 429, as a fourth stream would be. */
    @Test
    void shouldCapSocketsWithTheStreams() throws Exception {
        String token = given().when().post("/applications/{token}/users/u7/tokens", application).then().statusCode(201)
                .extract().path("token");
        String uri = ws() + "/chats/1/socket?access_token=" + token;
        List<SocketClient> opened = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                opened.add(SocketClient.open(uri, Map.of()));
            }
            assertEquals(429, SocketClient.refusal(uri, Map.of()));
            opened.remove(0).close();
            await().atMost(WITHIN).until(() -> SocketClient.refusal(uri, Map.of()) == -1);
        } finally {
            opened.forEach(SocketClient::close);
        }
    }

    @Test
    void shouldPingAnIdleSocketAtEveryHeartbeat() throws Exception {
        try (SocketClient idle = open("")) {
            await().atMost(WITHIN).until(() -> idle.pings() >= 2); // chat.events.heartbeat is 1 s in tests
            assertNull(idle.drain().stream().findFirst().orElse(null), "a heartbeat is a ping, not a text frame");
        }
    }

    /** The next frame that answers one of the client's: member events and typing are skipped. */
    static JsonNode reply(SocketClient socket) throws InterruptedException {
        while (true) {
            JsonNode frame = parse(socket.next(WITHIN));
            if (!isEphemeral(frame)) {
                return frame;
            }
        }
    }

    static boolean isEphemeral(JsonNode frame) {
        String type = frame.get("type").textValue();
        return type.startsWith("member.") || type.equals("typing");
    }

    /** A socket that completes its upgrade, then never reads: its receive window stays shut. */
    private Socket stalledSocket() throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("localhost", RestAssured.port), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /applications/" + application + "/chats/1/socket HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static void assertError(JsonNode frame, String ref, int status) {
        assertEquals("error", frame.get("type").textValue(), frame.toString());
        assertEquals(ref, frame.has("ref") ? frame.get("ref").textValue() : null, frame.toString());
        assertEquals(status, frame.get("data").get("status").intValue(), frame.toString());
        assertTrue(frame.get("data").get("type").textValue().startsWith("https://chat.example/problems/"), frame.toString());
    }

    private SocketClient open(String query) throws Exception {
        return SocketClient.open(ws() + "/applications/" + application + "/chats/1/socket" + query, Map.of());
    }

    static String ws() {
        return "ws://localhost:" + RestAssured.port;
    }

    static JsonNode parse(String frame) {
        try {
            return JSON.readTree(frame);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + frame, e);
        }
    }

    static List<JsonNode> parse(List<String> frames) {
        return frames.stream().map(SocketTest::parse).toList();
    }
}
