package io.chat.api.message;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.chat.api.Fixtures.postMessage;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chat.common.messaging.MessageOperation;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The API's half of the pipeline, against the real RabbitMQ and MariaDB (no worker runs here). */
@QuarkusTest
class MessageAcceptanceTest {

    @TestHTTPResource("/applications/")
    URI applications;

    @Test
    void shouldAnswer202WithTheNumberOnceTheOperationIsOnTheDurableQueue() throws Exception {
        String token = createApplication();
        createChat(token);
        try (OperationQueue queue = new OperationQueue()) {
            queue.drain();

            given().contentType(ContentType.JSON).body("{\"body\": \"Hello there\"}")
                    .when().post("/applications/{token}/chats/1/messages", token)
                    .then().statusCode(202)
                    .header("Location", "/applications/" + token + "/chats/1/messages/1")
                    .body("number", equalTo(1))
                    .body("chat_number", equalTo(1))
                    .body("body", equalTo("Hello there"))
                    .body("created_at", matchesPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"));

            List<OperationQueue.Published> published = queue.drain();
            assertEquals(1, published.size());
            MessageOperation operation = published.get(0).operation();
            assertEquals(MessageOperation.Type.CREATE, operation.type());
            assertEquals(1, operation.number());
            assertEquals(1, operation.chatNumber());
            assertEquals("Hello there", operation.body());
            assertEquals(2, published.get(0).deliveryMode(), "persistent");
        }
    }

    @Test
    void shouldQueueConcurrentMessagesInFewerBrokerMessagesEachOperationOnce() throws Exception {
        String token = createApplication();
        for (int chat = 1; chat <= 4; chat++) {
            createChat(token);
        }
        try (OperationQueue queue = new OperationQueue()) {
            queue.drain();
            List<HttpResponse<String>> responses = postConcurrently(token, 400, i -> i % 4 + 1);
            assertTrue(responses.stream().allMatch(response -> response.statusCode() == 202));

            List<OperationQueue.Message> messages = queue.drainMessages();
            Map<Integer, List<Integer>> numbersByChat = new TreeMap<>();
            for (OperationQueue.Message message : messages) {
                int operations = message.operations().size();
                assertTrue(operations >= 1 && operations <= 100, "operations in one message: " + operations);
                message.operations().forEach(published -> {
                    assertEquals(2, published.deliveryMode(), "persistent");
                    numbersByChat.computeIfAbsent(published.operation().chatNumber(), chat -> new ArrayList<>())
                            .add(published.operation().number());
                });
            }
            numbersByChat.values().forEach(Collections::sort);
            List<Integer> oneToHundred = IntStream.rangeClosed(1, 100).boxed().toList();
            // Each once (in the order the numbers were confirmed, not always theirs: the worker orders by version).
            assertEquals(Map.of(1, oneToHundred, 2, oneToHundred, 3, oneToHundred, 4, oneToHundred), numbersByChat);
            assertTrue(messages.size() < 400, "broker messages for 400 operations: " + messages.size());
        }
    }

    @Test
    void shouldKeepEachBrokerMessageWithin64KibByTheOperationsEncodedSize() throws Exception {
        String token = createApplication();
        createChat(token);
        // JSON escapes each \u0001 in 6 bytes: an operation of about 25 KB from 4,101 characters, so two fit and three do not
        String large = "\u0001".repeat(4_100) + "é";
        try (OperationQueue queue = new OperationQueue()) {
            queue.drain();
            List<HttpResponse<String>> responses = ConcurrentPosts.post(applications, token, 100, i -> 1, i -> large + i);
            assertTrue(responses.stream().allMatch(response -> response.statusCode() == 202), responses.get(0).body());

            List<OperationQueue.Message> messages = queue.drainMessages();
            assertEquals(100, messages.stream().mapToInt(message -> message.operations().size()).sum());
            for (OperationQueue.Message message : messages) {
                assertTrue(message.bytes() <= 64 * 1024 && message.operations().size() <= 2,
                        message.operations().size() + " operations in " + message.bytes() + " bytes");
                message.operations().forEach(published -> assertTrue(published.operation().body().startsWith(large)));
            }
            assertTrue(messages.stream().anyMatch(message -> message.operations().size() == 2),
                    "some two waited together: " + messages.size() + " messages");
        }
    }

    @Test
    void shouldGiveConcurrentMessagesOfOneChatDistinctNumbersFrom1() {
        String token = createApplication();
        createChat(token);

        List<HttpResponse<String>> responses = postConcurrently(token, 100, i -> 1);
        assertTrue(responses.stream().allMatch(response -> response.statusCode() == 202));
        assertEquals(IntStream.rangeClosed(1, 100).boxed().toList(), responses.stream()
                .map(response -> Integer.valueOf(response.body().replaceAll(".*\"number\":(\\d+).*", "$1")))
                .sorted().toList());
    }

    @Test
    void shouldNumberConcurrentMessagesOfManyChatsGapFreeWithFewerTransactionsThanMessages() {
        String token = createApplication();
        for (int chat = 1; chat <= 5; chat++) {
            createChat(token);
        }
        double[] before = numberBatches();
        // Chat 6 does not exist: its requests share batches with the others' and get 404s.
        List<HttpResponse<String>> responses = postConcurrently(token, 360, i -> i % 6 + 1);

        Map<Integer, List<Integer>> numbersByChat = new TreeMap<>();
        int notFound = 0;
        for (HttpResponse<String> response : responses) {
            if (response.statusCode() == 404) {
                notFound++;
                continue;
            }
            assertEquals(202, response.statusCode(), response.body());
            numbersByChat.computeIfAbsent(Integer.valueOf(response.body().replaceAll(".*\"chat_number\":(\\d+).*", "$1")),
                    chat -> new ArrayList<>()).add(Integer.valueOf(response.body().replaceAll(".*\"number\":(\\d+).*", "$1")));
        }
        assertEquals(60, notFound);
        numbersByChat.values().forEach(Collections::sort);
        List<Integer> oneToSixty = IntStream.rangeClosed(1, 60).boxed().toList();
        assertEquals(Map.of(1, oneToSixty, 2, oneToSixty, 3, oneToSixty, 4, oneToSixty, 5, oneToSixty), numbersByChat);
        double[] after = numberBatches();
        assertEquals(360, after[1] - before[1], "requests served by the batches");
        assertTrue(after[0] - before[0] < 360, "transactions: " + (after[0] - before[0]));
        // The counters moved past every number handed out: the next message of chat 3 is its 61st.
        assertEquals(61, postMessage(token, 3, "after"));
    }

    @Test
    void shouldAnswer404ForAChatOrApplicationDeletedAfterItHadMessages() {
        String token = createApplication();
        createChat(token);
        createChat(token);
        assertEquals(1, postMessage(token, 1, "a"));
        assertEquals(1, postMessage(token, 2, "b"));

        given().when().delete("/applications/{token}/chats/1", token).then().statusCode(204);
        given().contentType(ContentType.JSON).body("{\"body\": \"hi\"}")
                .when().post("/applications/{token}/chats/1/messages", token).then().statusCode(404);
        assertEquals(2, postMessage(token, 2, "c"));

        given().when().delete("/applications/{token}", token).then().statusCode(204);
        given().contentType(ContentType.JSON).body("{\"body\": \"hi\"}")
                .when().post("/applications/{token}/chats/2/messages", token).then().statusCode(404);
    }

    /** {@code count} POSTs of messages, all in flight at once; message i goes to chat {@code chatOf(i)}. */
    private List<HttpResponse<String>> postConcurrently(String token, int count, IntUnaryOperator chatOf) {
        return ConcurrentPosts.post(applications, token, count, chatOf);
    }

    /** count and sum of chat_message_numbers_batch: transactions, and numbers they handed out. */
    private static double[] numberBatches() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return new double[] {metric(metrics, "chat_message_numbers_batch_count"), metric(metrics, "chat_message_numbers_batch_sum")};
    }

    private static double metric(String metrics, String name) {
        return metrics.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void shouldKeepEachChatsSequenceApart() {
        String token = createApplication();
        createChat(token);
        createChat(token);

        assertEquals(1, postMessage(token, 1, "a"));
        assertEquals(2, postMessage(token, 1, "b"));
        assertEquals(1, postMessage(token, 2, "c"));
    }

    @Test
    void shouldRejectInvalidBodies() {
        String token = createApplication();
        createChat(token);

        for (String body : new String[] {"{\"body\": \"\"}", "{\"body\": \" \\n \"}", "{}", "{\"body\": 7}"}) {
            given().contentType(ContentType.JSON).body(body)
                    .when().post("/applications/{token}/chats/1/messages", token)
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("body"));
        }
        given().contentType(ContentType.JSON).body(Map.of("body", "x".repeat(10_001)))
                .when().post("/applications/{token}/chats/1/messages", token)
                .then().statusCode(400).body("errors[0].message", equalTo("must be at most 10000 characters"));
        assertEquals(1, postMessage(token, 1, "x".repeat(10_000)));
    }

    @Test
    void shouldAnswer404ForAnUnknownApplicationChatOrMessage() {
        String token = createApplication();
        createChat(token);
        given().when().delete("/applications/{token}/chats/1", token).then().statusCode(204);
        createChat(token);

        given().contentType(ContentType.JSON).body("{\"body\": \"hi\"}")
                .when().post("/applications/{token}/chats/1/messages", token).then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"body\": \"hi\"}")
                .when().post("/applications/{token}/chats/3/messages", token).then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"body\": \"hi\"}")
                .when().post("/applications/AAAAAAAAAAAAAAAAAAAAAA/chats/1/messages").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"body\": \"hi\"}")
                .when().put("/applications/{token}/chats/2/messages/1", token).then().statusCode(404);
        given().when().delete("/applications/{token}/chats/2/messages/1", token).then().statusCode(404);
        given().when().get("/applications/{token}/chats/2/messages/01", token).then().statusCode(404);
    }

    @Test
    void shouldAcceptAnEditAndADeleteOfAMessageStillOnItsWayAndQueueThemInOrder() throws Exception {
        String token = createApplication();
        createChat(token);
        try (OperationQueue queue = new OperationQueue()) {
            queue.drain();
            postMessage(token, 1, "first");

            given().contentType(ContentType.JSON).body("{\"body\": \"second\"}")
                    .when().put("/applications/{token}/chats/1/messages/1", token)
                    .then().statusCode(202)
                    .body("number", equalTo(1))
                    .body("body", equalTo("second"))
                    .body("created_at", nullValue()); // its create is not persisted yet
            given().when().delete("/applications/{token}/chats/1/messages/1", token).then().statusCode(202);
            given().when().get("/applications/{token}/chats/1/messages/1", token).then().statusCode(404);

            List<MessageOperation> operations = queue.drain().stream().map(OperationQueue.Published::operation).toList();
            assertEquals(List.of(MessageOperation.Type.CREATE, MessageOperation.Type.UPDATE, MessageOperation.Type.DELETE),
                    operations.stream().map(MessageOperation::type).toList());
            assertTrue(operations.get(0).version() < operations.get(1).version()
                    && operations.get(1).version() < operations.get(2).version(), "versions follow acceptance");
        }
    }
}
