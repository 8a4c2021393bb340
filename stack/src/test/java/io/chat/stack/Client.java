package io.chat.stack;

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
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the black-box tests do as a client of the stack, and what they read back from MySQL. */
final class Client {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern NUMBER = Pattern.compile("\"number\":(\\d+)");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    private Client() {
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

    /** The persisted messages of an application: body by Location path. */
    static Map<String, String> persisted(MysqlDataSource db, String token) throws SQLException {
        Map<String, String> bodies = new HashMap<>();
        try (Connection connection = db.getConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT c.number, m.number, m.body"
                        + " FROM messages m JOIN chats c ON c.id = m.chat_id JOIN applications a ON a.id = c.application_id"
                        + " WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND m.created AND NOT m.deleted")) {
            statement.setString(1, token);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    bodies.put("/applications/" + token + "/chats/" + rows.getInt(1) + "/messages/" + rows.getInt(2),
                            rows.getString(3));
                }
            }
        }
        return bodies;
    }

    /** The first column of the first row of {@code sql}, with the token as its one parameter. */
    static long queryLong(MysqlDataSource db, String sql, String token) throws SQLException {
        try (Connection connection = db.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, token);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
