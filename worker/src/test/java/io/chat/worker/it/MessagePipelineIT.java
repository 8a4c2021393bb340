package io.chat.worker.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.chat.common.identity.UserTokenKeys;
import io.chat.common.search.SearchNode;
import io.chat.worker.support.Database;
import io.chat.worker.support.OperationQueue;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline, black box: the packaged API and worker as separate JVMs, the real RabbitMQ
 * and MariaDB. What a client was answered 202 for must end up in MySQL exactly once.
 */
class MessagePipelineIT {

    private static final String DATABASE = "chat_it";
    private static final String QUEUE = "chat.message-operations.it";
    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final Pattern NUMBER = Pattern.compile("\"number\":(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");
    private static final Map<String, String> ENVIRONMENT = new HashMap<>(Map.of("DB_NAME", DATABASE,
            "RABBITMQ_QUEUE", QUEUE, "COUNTS_INTERVAL", "1s",
            // Hundreds of messages a second on one application: a limit that counts every request but
            // is never reached; RateLimitTest tests reaching it.
            "RATE_LIMIT_REQUESTS", "1000000"));

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static AppProcess api;
    private static AppProcess worker;
    private static Database db;
    private static SearchNode search;

    @BeforeAll
    static void start() throws Exception {
        try (OperationQueue queue = new OperationQueue(QUEUE)) {
            queue.purge(); // nothing left over from an earlier run
        }
        search = new SearchNode();
        search.start();
        ENVIRONMENT.put("SEARCH_HOSTS", search.hosts());
        // The API needs user token keys: a pair of its own, made as bin/stack makes one.
        Path keys = Path.of("target", "it-user-token-keys").toAbsolutePath();
        if (!Files.exists(keys.resolve(UserTokenKeys.SIGN_KEY))) {
            UserTokenKeys.write(keys, UserTokenKeys.generate());
        }
        ENVIRONMENT.put("USER_TOKEN_SIGN_KEY", keys.resolve(UserTokenKeys.SIGN_KEY).toString());
        ENVIRONMENT.put("USER_TOKEN_VERIFY_KEYS", keys.resolve(UserTokenKeys.VERIFY_KEYS).toString());
        api = new AppProcess("api", Path.of(System.getProperty("api.jar")), ENVIRONMENT).start();
        worker = new AppProcess("worker", Path.of(System.getProperty("worker.jar")), ENVIRONMENT).start();
        MysqlDataSource dataSource = new MysqlDataSource();
        dataSource.setURL("jdbc:mysql://127.0.0.1:3306/" + DATABASE);
        dataSource.setUser("root");
        db = new Database(dataSource);
    }

    @AfterAll
    static void stop() throws Exception {
        worker.close();
        api.close();
        search.stop();
    }

    @Test
    void shouldMakeMessagesSearchableAndFollowTheirEditsAndDeletes() throws Exception {
        String token = createApplication();
        send("POST", "/applications/" + token + "/chats", null);
        String messages = "/applications/" + token + "/chats/1/messages";
        send("POST", messages, "{\"body\":\"The quick brown fox\"}");
        send("POST", messages, "{\"body\":\"Lazy dog sleeps\"}");
        send("POST", messages, "{\"body\":\"Another quick one\"}");
        send("PUT", messages + "/2", "{\"body\":\"Lazy cat sleeps\"}");
        send("DELETE", messages + "/3", null);

        await().atMost(WITHIN).untilAsserted(() -> {
            assertEquals(List.of(1), searchNumbers(token, "UICK"));
            assertEquals(List.of(2), searchNumbers(token, "cat sle"));
            assertEquals(List.of(), searchNumbers(token, "dog"));
        });
    }

    /**
     * Hashtags through the whole pipeline: the 202 carries them, the worker stores and indexes them,
     * and the hashtag filter, trends and top hashtags follow edits and deletes.
     */
    @Test
    void shouldFilterAndCountHashtagsAndFollowTheirEditsAndDeletes() throws Exception {
        String token = createApplication();
        send("POST", "/applications/" + token + "/chats", null);
        String messages = "/applications/" + token + "/chats/1/messages";
        HttpResponse<String> posted = send("POST", messages, "{\"body\":\"#Launch day, #q4\"}");
        assertTrue(posted.body().contains("\"hashtags\":[\"launch\",\"q4\"]"), posted.body());
        send("POST", messages, "{\"body\":\"after the #launch\"}");
        send("POST", messages, "{\"body\":\"nothing to see\"}");
        send("PUT", messages + "/2", "{\"body\":\"after the #party\"}");
        send("DELETE", messages + "/1", null);
        send("POST", messages, "{\"body\":\"#party on\"}");

        await().atMost(WITHIN).untilAsserted(() -> {
            assertEquals("{\"data\":[{\"hashtag\":\"party\",\"count\":2}]}",
                    send("GET", "/applications/" + token + "/hashtags", null).body());
            assertTrue(send("GET", "/applications/" + token + "/trends?interval=1d", null).body()
                    .matches(".*\"buckets\":\\[(\\{[^}]*\"count\":0\\},)?\\{[^}]*\"count\":3\\}\\]\\}"));
        });
        HttpResponse<String> party = send("GET", messages + "?hashtag=Party&order=asc", null);
        assertEquals(List.of(2, 4), numbersIn(party.body()));
        assertEquals(List.of(), numbersIn(send("GET", messages + "?hashtag=launch", null).body()));
        assertEquals(0, db.count("message_hashtags h JOIN chats c ON c.id = h.chat_id JOIN applications a ON a.id = c.application_id"
                + " WHERE a.token_hash = UNHEX(SHA2('" + token + "', 256)) AND h.hashtag IN ('launch', 'q4')"));
    }

    /** A user token's message, through the queue and the worker: persisted and found with its sender, editable only by it. */
    @Test
    void shouldCarryTheSenderOfAUserTokensMessagesToReadsAndSearch() throws Exception {
        String token = createApplication();
        send("POST", "/applications/" + token + "/chats", null);
        String alice = tokenOf(send("POST", "/applications/" + token + "/users/alice/tokens", null));
        String bob = tokenOf(send("POST", "/applications/" + token + "/users/bob/tokens", null));

        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(api.uri("/chats/1/messages"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + alice)
                .POST(HttpRequest.BodyPublishers.ofString("{\"body\":\"Written by alice\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, posted.statusCode(), posted.body());

        await().atMost(WITHIN).until(() -> send("GET", "/applications/" + token + "/chats/1/messages/1", null).statusCode() == 200);
        assertTrue(send("GET", "/applications/" + token + "/chats/1/messages/1", null).body().contains("\"sender\":\"alice\""));
        await().atMost(WITHIN).until(() -> send("GET", "/applications/" + token + "/chats/1/messages/search?q=alic", null).body()
                .contains("\"sender\":\"alice\""));
        assertEquals(403, HTTP.send(HttpRequest.newBuilder(api.uri("/chats/1/messages/1")).header("Authorization", "Bearer " + bob)
                .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(202, HTTP.send(HttpRequest.newBuilder(api.uri("/chats/1/messages/1")).header("Authorization", "Bearer " + alice)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"body\":\"Edited by alice\"}"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        await().atMost(WITHIN).until(() -> db.strings("SELECT CONCAT(m.sender, ' ', m.body) FROM messages m JOIN chats c ON c.id = m.chat_id"
                + " JOIN applications a ON a.id = c.application_id WHERE a.token_hash = UNHEX(SHA2('" + token + "', 256))")
                .equals(List.of("alice Edited by alice")));
    }

    private static String tokenOf(HttpResponse<String> minted) {
        assertEquals(201, minted.statusCode(), minted.body());
        Matcher matcher = TOKEN.matcher(minted.body());
        assertTrue(matcher.find(), minted.body());
        return matcher.group(1);
    }

    private static List<Integer> searchNumbers(String token, String query) throws Exception {
        HttpResponse<String> found = send("GET", "/applications/" + token + "/chats/1/messages/search?q="
                + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8), null);
        assertEquals(200, found.statusCode(), found.body());
        return numbersIn(found.body());
    }

    /** The message numbers of a page, in its order. */
    private static List<Integer> numbersIn(String page) {
        List<Integer> numbers = new ArrayList<>();
        Matcher matcher = NUMBER.matcher(page);
        while (matcher.find()) {
            numbers.add(Integer.parseInt(matcher.group(1)));
        }
        return numbers;
    }

    @Test
    void shouldPersistAThousandConcurrentMessagesOverTenChatsExactlyOnceWithGapFreeNumbers() throws Exception {
        String token = createApplication();
        for (int chat = 1; chat <= 10; chat++) {
            send("POST", "/applications/" + token + "/chats", null);
        }

        Map<String, Integer> accepted = postConcurrently(token, 1000, 10, 200, () -> { });

        assertEquals(1000, accepted.size());
        for (int chat = 1; chat <= 10; chat++) {
            int chatNumber = chat;
            List<Integer> numbers = accepted.entrySet().stream()
                    .filter(entry -> entry.getKey().startsWith("chat " + chatNumber + " "))
                    .map(Map.Entry::getValue).sorted().toList();
            assertEquals(IntStream.rangeClosed(1, 100).boxed().toList(), numbers, "numbers of chat " + chat);
        }
        awaitPersisted(token, accepted);
        await().atMost(WITHIN).until(() -> db.count("chats c JOIN applications a ON a.id = c.application_id"
                + " WHERE a.token_hash = UNHEX(SHA2('" + token + "', 256)) AND c.messages_count = 100") == 10);
    }

    @Test
    void shouldLoseAndDuplicateNothingWhenTheWorkerIsKilledMidStream() throws Exception {
        String token = createApplication();
        send("POST", "/applications/" + token + "/chats", null);
        AtomicInteger sent = new AtomicInteger();

        Map<String, Integer> accepted = postConcurrently(token, 1000, 1, 50, () -> {
            if (sent.incrementAndGet() == 300) {
                try {
                    worker.kill(); // SIGKILL while it consumes; posting goes on, the backlog grows
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertEquals(1000, accepted.size());
        assertTrue(db.count("messages m JOIN chats c ON c.id = m.chat_id JOIN applications a ON a.id = c.application_id"
                + " WHERE a.token_hash = UNHEX(SHA2('" + token + "', 256))") < 1000, "the killed worker left a backlog");
        worker.start();

        awaitPersisted(token, accepted);
    }

    @Test
    void shouldApplyEditsAndDeletesIssuedRightAfterTheCreateWithTwoWorkers() throws Exception {
        try (AppProcess second = new AppProcess("worker-2", Path.of(System.getProperty("worker.jar")), ENVIRONMENT).start()) {
            String token = createApplication();
            send("POST", "/applications/" + token + "/chats", null);
            String messages = "/applications/" + token + "/chats/1/messages";
            for (int i = 1; i <= 20; i++) {
                assertEquals(202, send("POST", messages, "{\"body\":\"original " + i + "\"}").statusCode());
                assertEquals(202, send("PUT", messages + "/" + i, "{\"body\":\"edited " + i + "\"}").statusCode());
                if (i % 2 == 0) {
                    assertEquals(202, send("DELETE", messages + "/" + i, null).statusCode());
                }
            }

            await().atMost(WITHIN).until(() -> db.count("messages m JOIN chats c ON c.id = m.chat_id JOIN applications a"
                    + " ON a.id = c.application_id WHERE a.token_hash = UNHEX(SHA2('" + token + "', 256)) AND m.created") == 20);
            for (int i = 1; i <= 20; i++) {
                HttpResponse<String> message = send("GET", messages + "/" + i, null);
                if (i % 2 == 0) {
                    assertEquals(404, message.statusCode(), "deleted message " + i);
                } else {
                    assertEquals(200, message.statusCode());
                    assertTrue(message.body().contains("\"body\":\"edited " + i + "\""), message.body());
                }
            }
            assertEquals(404, send("PUT", messages + "/2", "{\"body\":\"revived?\"}").statusCode());
        }
    }

    /**
     * Posts {@code total} messages spread over {@code chats} chats, at most {@code inFlight} at a
     * time, retrying a 503 as the contract tells clients to (nothing was done; retry later).
     */
    private static Map<String, Integer> postConcurrently(String token, int total, int chats, int inFlight, Runnable onAccepted)
            throws InterruptedException {
        Map<String, Integer> accepted = new ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(inFlight);
        List<CompletableFuture<Void>> requests = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            int chat = i % chats + 1;
            String body = "chat " + chat + " message " + i;
            slots.acquire();
            requests.add(post(request("POST", "/applications/" + token + "/chats/" + chat + "/messages",
                            "{\"body\":\"" + body + "\"}"), 5)
                    .thenAccept(response -> {
                        if (response.statusCode() == 202) {
                            accepted.put(body, number(response.body()));
                            onAccepted.run();
                        }
                    })
                    .whenComplete((ignored, failure) -> slots.release()));
        }
        CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
        return accepted;
    }

    private static CompletableFuture<HttpResponse<String>> post(HttpRequest request, int attempts) {
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(response ->
                response.statusCode() == 503 && attempts > 1
                        ? CompletableFuture.supplyAsync(() -> null,
                                CompletableFuture.delayedExecutor(500, java.util.concurrent.TimeUnit.MILLISECONDS))
                                .thenCompose(ignored -> post(request, attempts - 1))
                        : CompletableFuture.completedFuture(response));
    }

    /** Every accepted message is in MySQL once, under its number, with its body; nothing else is. */
    private static void awaitPersisted(String token, Map<String, Integer> accepted) throws Exception {
        String ofApplication = " FROM messages m JOIN chats c ON c.id = m.chat_id JOIN applications a"
                + " ON a.id = c.application_id WHERE a.token_hash = UNHEX(SHA2('" + token + "', 256))";
        await().atMost(WITHIN).until(() -> db.count(ofApplication.substring(" FROM ".length())) == accepted.size());
        List<String> rows = db.strings("SELECT CONCAT(c.number, '/', m.number, '=', m.body)" + ofApplication);
        List<String> expected = accepted.entrySet().stream()
                .map(entry -> entry.getKey().split(" ")[1] + "/" + entry.getValue() + "=" + entry.getKey())
                .sorted().toList();
        assertEquals(expected, rows.stream().sorted().toList());
    }

    private static String createApplication() throws Exception {
        HttpResponse<String> created = send("POST", "/applications", "{\"name\":\"Pipeline\"}");
        Matcher token = TOKEN.matcher(created.body());
        assertTrue(token.find(), created.body());
        return token.group(1);
    }

    private static int number(String body) {
        Matcher matcher = NUMBER.matcher(body);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        return HTTP.send(request(method, path, json), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String method, String path, String json) {
        return HttpRequest.newBuilder(api.uri(path))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
    }
}
