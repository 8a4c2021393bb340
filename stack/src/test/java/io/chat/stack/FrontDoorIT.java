package io.chat.stack;

import static io.chat.stack.Client.createApplication;
import static io.chat.stack.Client.messageJson;
import static io.chat.stack.Client.messagesOf;
import static io.chat.stack.Client.persisted;
import static io.chat.stack.Client.post;
import static io.chat.stack.Client.queryLong;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.chat.stack.Client.Answer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The system as users run it without Docker: bin/stack with three API replicas behind NGINX, the
 * worker and a search node, each its own process, against the real MariaDB, RabbitMQ and Redis.
 */
@Order(1)
class FrontDoorIT {

    private static final int CONCURRENCY = 16;
    private static final Duration WITHIN = Duration.ofSeconds(90);

    private static final Predicate<String> APPLICATION_CREATIONS = line -> line.startsWith(
            "http_server_requests_seconds_count{method=\"POST\"") && line.contains("status=\"201\"")
            && line.contains("uri=\"/applications\"}");
    private static final Predicate<String> CHAT_CREATIONS = line -> line.startsWith(
            "http_server_requests_seconds_count{method=\"POST\"") && line.contains("status=\"201\"")
            && line.contains("}/chats\"}");
    private static final Predicate<String> ACCEPTANCES = line -> line.startsWith(
            "chat_message_operations_accepted_total{type=\"create\"}");

    private static MysqlDataSource db;

    @BeforeAll
    static void up() throws Exception {
        Stack.up(3);
        db = Client.database();
    }

    @AfterAll
    static void down() throws Exception {
        Stack.down();
    }

    @Test
    void shouldGiveGapFreeNumbersToConcurrentChatsAndMessagesSpreadOverTheReplicas() throws Exception {
        String token = createApplication();
        Map<Integer, Double> chatsBefore = perReplica(CHAT_CREATIONS);
        Map<Integer, Double> messagesBefore = perReplica(ACCEPTANCES);

        List<Answer> chats = concurrently(60, i -> post(Stack.frontDoor() + "/applications/" + token + "/chats", null, null));
        List<Answer> messages = concurrently(600, i -> post(messagesOf(token, i % 6 + 1), messageJson("message " + i), null));

        assertTrue(chats.stream().allMatch(answer -> answer.status() == 201), chats::toString);
        assertEquals(range(60), chats.stream().map(Answer::number).sorted().toList());
        assertTrue(messages.stream().allMatch(answer -> answer.status() == 202), messages::toString);
        for (int chat = 1; chat <= 6; chat++) {
            String prefix = "/applications/" + token + "/chats/" + chat + "/";
            assertEquals(range(100), messages.stream().filter(answer -> answer.location().startsWith(prefix))
                    .map(Answer::number).sorted().toList(), "numbers of chat " + chat);
        }
        Map<Integer, Double> chatsAfter = perReplica(CHAT_CREATIONS);
        Map<Integer, Double> messagesAfter = perReplica(ACCEPTANCES);
        double chatsServed = 0;
        double messagesServed = 0;
        for (int replica = 1; replica <= 3; replica++) {
            double chatCreations = chatsAfter.get(replica) - chatsBefore.get(replica);
            double acceptances = messagesAfter.get(replica) - messagesBefore.get(replica);
            assertTrue(chatCreations > 0 && acceptances > 0, "replica " + replica + " served " + chatCreations
                    + " chat creations and " + acceptances + " messages");
            System.out.printf("replica %d: %.0f chat creations, %.0f messages%n", replica, chatCreations, acceptances);
            chatsServed += chatCreations;
            messagesServed += acceptances;
        }
        assertEquals(60, chatsServed);
        assertEquals(600, messagesServed);
        await().atMost(WITHIN).until(() -> persisted(db, token).size() == 600);
    }

    @Test
    void shouldReplayAnIdempotencyKeyOnAnotherReplica() throws Exception {
        String token = createApplication();
        String chatKey = UUID.randomUUID().toString();
        Answer chat = post(Stack.replica(1) + "/applications/" + token + "/chats", null, chatKey);
        Answer chatReplay = post(Stack.replica(2) + "/applications/" + token + "/chats", null, chatKey);
        String messageKey = UUID.randomUUID().toString();
        Answer message = post(Stack.replica(2) + "/applications/" + token + "/chats/1/messages",
                messageJson("only once"), messageKey);
        Answer messageReplay = post(Stack.replica(3) + "/applications/" + token + "/chats/1/messages",
                messageJson("only once"), messageKey);

        assertEquals(201, chat.status(), chat.body());
        assertEquals(chat, chatReplay);
        assertEquals(202, message.status(), message.body());
        assertEquals(message, messageReplay);
        await().atMost(WITHIN).until(() -> persisted(db, token).size() == 1);
        assertEquals(1, queryLong(db, "SELECT a.last_chat_number FROM applications a WHERE a.token_hash = UNHEX(SHA2(?, 256))", token));
        assertEquals(1, queryLong(db, "SELECT c.last_message_number FROM chats c JOIN applications a"
                + " ON a.id = c.application_id WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND c.number = 1", token));
    }

    @Test
    void shouldRouteAroundAReplicaKilledUnderLoad() throws Exception {
        String token = createApplication();
        for (int chat = 1; chat <= 3; chat++) {
            post(Stack.frontDoor() + "/applications/" + token + "/chats", null, null);
        }
        Set<String> retried = ConcurrentHashMap.newKeySet();
        AtomicInteger answered = new AtomicInteger();
        List<Answer> answers;
        try {
            answers = concurrently(600, i -> {
                String body = "load " + i;
                AtomicInteger attempts = new AtomicInteger();
                Answer answer = Client.postRetrying(messagesOf(token, i % 3 + 1), messageJson(body),
                        UUID.randomUUID().toString(), attempt -> attempts.incrementAndGet());
                if (attempts.get() > 1) {
                    retried.add(body);
                }
                if (answered.incrementAndGet() == 150) {
                    killReplica(2);
                }
                return answer;
            });
        } finally {
            restoreReplicas(); // `up` starts whatever is missing
        }

        System.out.printf("replica 2 killed after 150 of 600 answers: %d requests needed a retry%n", retried.size());
        assertTrue(answers.stream().allMatch(answer -> answer.status() == 202), answers::toString);
        // Only requests in flight on the killed replica can fail; NGINX sends the rest elsewhere.
        assertTrue(retried.size() <= CONCURRENCY, retried.size() + " requests needed a retry: " + retried);
        Map<String, String> accepted = new HashMap<>();
        for (int i = 0; i < answers.size(); i++) {
            assertEquals(null, accepted.put(answers.get(i).location(), "load " + i), "number given twice");
        }
        await().atMost(WITHIN).until(() -> persisted(db, token).keySet().containsAll(accepted.keySet()));
        Map<String, String> persisted = persisted(db, token);
        accepted.forEach((location, body) -> assertEquals(body, persisted.get(location), location));
        // A request the client retried may have been accepted by the dead replica before it died;
        // every other one is stored exactly once.
        Map<String, Long> copies = new HashMap<>();
        persisted.values().forEach(body -> copies.merge(body, 1L, Long::sum));
        accepted.values().stream().filter(body -> !retried.contains(body))
                .forEach(body -> assertEquals(1L, copies.get(body), body));
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileNoReplicaIsUp() throws Exception {
        HttpResponse<String> unavailable;
        try {
            for (int replica = 1; replica <= 3; replica++) {
                killReplica(replica);
            }
            unavailable = Client.HTTP.send(HttpRequest.newBuilder(URI.create(Stack.frontDoor() + "/applications"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"nobody home\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            restoreReplicas();
        }

        assertEquals(503, unavailable.statusCode());
        assertEquals("application/problem+json", unavailable.headers().firstValue("Content-Type").orElse(""));
        assertEquals("5", unavailable.headers().firstValue("Retry-After").orElse(""));
        assertTrue(unavailable.body().contains("\"status\":503"), unavailable.body());
        assertEquals(201, post(Stack.frontDoor() + "/applications", "{\"name\":\"back\"}", null).status());
    }

    @Test
    void shouldGiveEveryRequestAnIdOfNginxAndRefuseAChunkedBodyOverOneMebibyte() throws Exception {
        HttpResponse<String> live = Client.HTTP.send(HttpRequest.newBuilder(URI.create(Stack.frontDoor() + "/q/health/live"))
                .header("X-Request-Id", "chosen-by-the-client").build(), HttpResponse.BodyHandlers.ofString());
        String token = createApplication();
        byte[] body = ("{\"body\":\"" + "x".repeat(1_100_000) + "\"}").getBytes();
        HttpResponse<String> tooLarge = Client.HTTP.send(HttpRequest.newBuilder(URI.create(messagesOf(token, 1)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());

        String id = live.headers().firstValue("X-Request-Id").orElse("");
        assertTrue(id.matches("[0-9a-f]{32}"), id);
        assertEquals(413, tooLarge.statusCode());
        assertEquals("application/problem+json", tooLarge.headers().firstValue("Content-Type").orElse(""));
        assertTrue(tooLarge.body().contains("\"status\":413"), tooLarge.body());
    }

    private static void killReplica(int replica) {
        try {
            Stack.kill("api-" + replica);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Answer> concurrently(int requests, IntFunction<Answer> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<Answer>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                int index = i;
                futures.add(pool.submit(() -> request.apply(index)));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * After replicas were killed: brings them back, then waits until NGINX sends requests to every
     * one of them again. NGINX skips a replica that refused a connection for its fail_timeout (5 s),
     * even once it is back, so a test that starts sooner would find one replica idle, or none.
     */
    private static void restoreReplicas() throws Exception {
        Stack.up(3);
        Map<Integer, Double> before = perReplica(APPLICATION_CREATIONS);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
            post(Stack.frontDoor() + "/applications", "{\"name\":\"probe\"}", null);
            Map<Integer, Double> after = perReplica(APPLICATION_CREATIONS);
            return IntStream.rangeClosed(1, 3).allMatch(replica -> after.get(replica) > before.get(replica));
        });
    }

    /** Per replica: the sum of the Prometheus samples that match, such as chat creations (201s). */
    private static Map<Integer, Double> perReplica(Predicate<String> samples) throws Exception {
        Map<Integer, Double> counts = new HashMap<>();
        for (int replica = 1; replica <= 3; replica++) {
            String metrics = Client.HTTP.send(HttpRequest.newBuilder(URI.create(Stack.replica(replica) + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double count = metrics.lines()
                    .filter(samples)
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
            counts.put(replica, count);
        }
        return counts;
    }

    private static List<Integer> range(int last) {
        return IntStream.rangeClosed(1, last).boxed().toList();
    }
}
