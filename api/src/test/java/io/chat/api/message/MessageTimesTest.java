package io.chat.api.message;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * created_at as numbering gives it: never before the chat's previous message's, whichever replica
 * (whatever its clock) numbered that one. What turns a time range into a range of numbers.
 */
@QuarkusTest
class MessageTimesTest {

    @TestHTTPResource("/applications/")
    URI applications;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldNeverGiveALaterNumberAnEarlierTimeUnderConcurrentPosts() {
        String token = createApplication();
        createChat(token);
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> posts = IntStream.range(0, 200).mapToObj(i -> http.sendAsync(
                HttpRequest.newBuilder(applications.resolve(token + "/chats/1/messages")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"body\": \"#load " + i + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString())).toList();

        Map<Integer, Instant> times = new TreeMap<>();
        for (CompletableFuture<HttpResponse<String>> post : posts) {
            HttpResponse<String> response = post.join();
            assertEquals(202, response.statusCode(), response.body());
            times.put(Integer.valueOf(response.body().replaceAll(".*\"number\":(\\d+).*", "$1")),
                    Instant.parse(response.body().replaceAll(".*\"created_at\":\"([^\"]+)\".*", "$1")));
        }
        assertEquals(200, times.size());
        Instant previous = Instant.EPOCH;
        for (Map.Entry<Integer, Instant> message : times.entrySet()) {
            assertFalse(message.getValue().isBefore(previous), "message " + message.getKey() + " at " + message.getValue()
                    + " is before the one numbered before it, at " + previous);
            previous = message.getValue();
        }
        assertTrue(times.values().stream().distinct().count() > 1, "posts over time, not all in one millisecond");
    }

    @Test
    void shouldNeverGiveANewMessageAnEarlierTimeThanAnotherReplicaGaveThePreviousOne() throws Exception {
        String token = createApplication();
        createChat(token);
        given().contentType(ContentType.JSON).body("{\"body\": \"first\"}").when().post("/applications/{token}/chats/1/messages", token)
                .then().statusCode(202);
        // Another replica, its clock far ahead of this one's, numbered the chat's last message.
        try (Connection connection = dataSource.getConnection(); PreparedStatement ahead = connection.prepareStatement(
                "UPDATE chats c JOIN applications a ON a.id = c.application_id SET c.last_message_at = '2099-01-01 00:00:00.000'"
                        + " WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND c.number = 1")) {
            ahead.setString(1, token);
            assertEquals(1, ahead.executeUpdate());
        }

        given().contentType(ContentType.JSON).body("{\"body\": \"second #late\"}").when().post("/applications/{token}/chats/1/messages", token)
                .then().statusCode(202)
                .body("number", equalTo(2))
                .body("created_at", equalTo("2099-01-01T00:00:00.000Z"))
                .body("updated_at", equalTo("2099-01-01T00:00:00.000Z"))
                .body("hashtags", contains("late"));
    }
}
