package io.chat.stack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.MysqlDataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/** What the black-box tests do as a client of the stack, and what they read back from MySQL. */
final class Client {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern NUMBER = Pattern.compile("\"number\":(\\d+)");
    private static final Pattern COUNT = Pattern.compile("\"count\":(\\d+)");
    private static final Duration RETRY_FOR = Duration.ofSeconds(120);
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    private Client() {
    }

    /** One request and its answer; status 0 when none came (then {@code error} says why). */
    record Attempt(int status, String retryAfter, long millis, String error) {
    }

    record Answer(int status, String body, String location) {

        int number() {
            Matcher matcher = NUMBER.matcher(body);
            assertTrue(matcher.find(), body);
            return Integer.parseInt(matcher.group(1));
        }
    }

    static MysqlDataSource database() {
        MysqlDataSource db = new MysqlDataSource();
        db.setURL("jdbc:mysql://127.0.0.1:3306/" + Stack.DATABASE);
        db.setUser("root");
        return db;
    }

    static String createApplication() {
        Answer created = post(Stack.frontDoor() + "/applications", "{\"name\":\"black box\"}", null);
        assertEquals(201, created.status(), created.body());
        Matcher matcher = TOKEN.matcher(created.body());
        assertTrue(matcher.find());
        return matcher.group(1);
    }

    static void createChats(String token, int chats) {
        for (int chat = 1; chat <= chats; chat++) {
            assertEquals(201, post(Stack.frontDoor() + "/applications/" + token + "/chats", null, null).status());
        }
    }

    static String messageJson(String body) {
        return "{\"body\":\"" + body + "\"}";
    }

    static String messagesOf(String token, int chat) {
        return Stack.frontDoor() + "/applications/" + token + "/chats/" + chat + "/messages";
    }

    static Answer post(String url, String json, String idempotencyKey) {
        HttpResponse<String> response = send(request(url, json, idempotencyKey));
        return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Location").orElse(""));
    }

    /**
     * Posts as a careful client does: with its one Idempotency-Key, again every 200 ms after no
     * answer, a 409 or a 503, for up to two minutes. Every attempt is handed to {@code attempts}.
     * The last answer is returned: the accepted one, a refusal not worth a retry, or the last 503.
     */
    static Answer postRetrying(String url, String json, String idempotencyKey, Consumer<Attempt> attempts) {
        AtomicReference<Answer> last = new AtomicReference<>(new Answer(0, "no answer", ""));
        try {
            await().atMost(RETRY_FOR).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        long start = System.nanoTime();
                        HttpResponse<String> response;
                        try {
                            response = send(request(url, json, idempotencyKey));
                        } catch (RuntimeException e) {
                            attempts.accept(new Attempt(0, null, (System.nanoTime() - start) / 1_000_000, e.getCause() + ""));
                            return false;
                        }
                        attempts.accept(new Attempt(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                                (System.nanoTime() - start) / 1_000_000, null));
                        last.set(new Answer(response.statusCode(), response.body(),
                                response.headers().firstValue("Location").orElse("")));
                        return response.statusCode() != 409 && response.statusCode() != 503;
                    });
        } catch (ConditionTimeoutException e) {
            // Given up: the last answer says what the client was left with.
        }
        return last.get();
    }

    static HttpRequest request(String url, String json, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(40));
        if (json != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.POST(HttpRequest.BodyPublishers.noBody());
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.build();
    }

    static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(40)).build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    interface Row {
        void read(ResultSet row) throws SQLException;
    }

    /** Runs {@code sql} with the token as its one parameter, handing each row to {@code row}. */
    static void forEachRow(MysqlDataSource db, String sql, String token, Row row) throws SQLException {
        try (Connection connection = db.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, token);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    row.read(rows);
                }
            }
        }
    }

    /** The persisted messages of an application: body by Location path. */
    static Map<String, String> persisted(MysqlDataSource db, String token) throws SQLException {
        Map<String, String> bodies = new HashMap<>();
        forEachRow(db, "SELECT c.number, m.number, m.body FROM messages m JOIN chats c ON c.id = m.chat_id"
                + " JOIN applications a ON a.id = c.application_id"
                + " WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND m.created AND NOT m.deleted",
                token, row -> bodies.put("/applications/" + token + "/chats/" + row.getInt(1) + "/messages/" + row.getInt(2),
                        row.getString(3)));
        return bodies;
    }

    /** The first column of the first row of {@code sql}, with the token as its one parameter. */
    static long queryLong(MysqlDataSource db, String sql, String token) throws SQLException {
        List<Long> values = new ArrayList<>();
        forEachRow(db, sql, token, row -> values.add(row.getLong(1)));
        return values.get(0);
    }

    /** Stored messages per chat id of an application. */
    static Map<Long, Long> messagesByChat(MysqlDataSource db, String token) throws SQLException {
        Map<Long, Long> counts = new TreeMap<>();
        forEachRow(db, "SELECT c.id, (SELECT COUNT(*) FROM messages m WHERE m.chat_id = c.id AND m.created"
                + " AND NOT m.deleted) FROM chats c JOIN applications a ON a.id = c.application_id"
                + " WHERE a.token_hash = UNHEX(SHA2(?, 256))", token, row -> counts.put(row.getLong(1), row.getLong(2)));
        return counts;
    }

    /** Documents per chat id in the search engine at {@code search}, for the chats of an application. */
    static Map<Long, Long> searchDocumentsByChat(MysqlDataSource db, String token, String search) throws SQLException {
        Map<Long, Long> counts = new TreeMap<>();
        for (Long chatId : messagesByChat(db, token).keySet()) {
            HttpResponse<String> count = send(HttpRequest.newBuilder(URI.create(search + "/chat-messages/_count"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":{\"term\":{\"chat_id\":" + chatId + "}}}"))
                    .build());
            Matcher matcher = COUNT.matcher(count.body());
            assertTrue(matcher.find(), count.body());
            counts.put(chatId, Long.parseLong(matcher.group(1)));
        }
        return counts;
    }
}
