package io.chat.api.ratelimit;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chat.common.Tokens;
import io.chat.common.events.SocketClient;
import io.chat.common.cache.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(RateLimitTest.FiveRequestsPerThreeSeconds.class)
class RateLimitTest {

    public static class FiveRequestsPerThreeSeconds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.rate-limit.requests", "5", "chat.rate-limit.window", "3s");
        }
    }

    @Inject
    RedisDataSource redis;

    @Test
    void shouldCountDownEachRequestOfAnApplicationInItsHeaders() {
        String token = createApplication();

        for (int remaining = 4; remaining >= 0; remaining--) {
            given().when().get("/applications/{token}", token)
                    .then().statusCode(200)
                    .header("X-RateLimit-Limit", "5")
                    .header("X-RateLimit-Remaining", Integer.toString(remaining))
                    // Seconds left in the 3 s window, rounded up: fewer as the requests take their time.
                    .header("X-RateLimit-Reset", matchesPattern("[123]"));
        }
    }

    @Test
    void shouldAnswer429WithRetryAfterPastTheLimitAndCreateNothing() {
        String token = createApplication();
        createChat(token);
        for (int i = 0; i < 4; i++) {
            given().when().get("/applications/{token}/chats", token).then().statusCode(200);
        }

        given().when().post("/applications/{token}/chats", token)
                .then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", matchesPattern("[123]"))
                .header("X-RateLimit-Limit", "5")
                .header("X-RateLimit-Remaining", "0")
                .body("type", equalTo("https://chat.example/problems/rate-limited"))
                .body("status", equalTo(429));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().when().get("/applications/{token}", token).then().statusCode(200)
                        .body("chats_count", equalTo(1)));
    }

    /** A socket's upgrade counts as the request that opens an SSE stream would, and each post over it as a POST. */
    @Test
    void shouldCountASocketsUpgradeAndItsPostsAsRequests() throws Exception {
        String token = createApplication();
        createChat(token);
        String socket = "ws://localhost:" + RestAssured.port + "/applications/" + token + "/chats/1/socket";
        try (SocketClient client = SocketClient.open(socket, Map.of())) {
            for (int i = 1; i <= 3; i++) {
                client.send("{\"type\":\"message.create\",\"body\":\"m\",\"ref\":\"" + i + "\"}");
                assertTrue(client.next(Duration.ofSeconds(10)).startsWith("{\"type\":\"ack\",\"ref\":\"" + i + "\""));
            }
            client.send("{\"type\":\"message.create\",\"body\":\"m\",\"ref\":\"over\"}");
            String refused = client.next(Duration.ofSeconds(10));
            assertTrue(refused.startsWith("{\"type\":\"error\",\"ref\":\"over\",\"data\":{\"type\":\"https://chat.example/problems/rate-limited\""),
                    refused);
            assertEquals(429, SocketClient.refusal(socket, Map.of()));
        }
    }

    @Test
    void shouldGiveEachApplicationItsOwnBudget() {
        String busy = createApplication();
        String quiet = createApplication();
        for (int i = 0; i < 5; i++) {
            given().when().get("/applications/{token}", busy).then().statusCode(200);
        }

        given().when().get("/applications/{token}", busy).then().statusCode(429);
        given().when().get("/applications/{token}", quiet).then().statusCode(200)
                .header("X-RateLimit-Remaining", "4");
    }

    @Test
    void shouldShareTheBudgetOfAnApplicationWithEveryReplicaThroughRedis() {
        String token = createApplication();
        // What another replica's five requests leave in Redis.
        redis.value(Long.class).setex(RedisKeys.rateLimit(Tokens.hashHex(token)), 3, 5L);

        given().when().get("/applications/{token}", token).then().statusCode(429);
    }

    @Test
    void shouldOpenANewWindowOnceTheLastOneEnded() {
        String token = createApplication();
        for (int i = 0; i < 5; i++) {
            given().when().get("/applications/{token}", token).then().statusCode(200);
        }
        given().when().get("/applications/{token}", token).then().statusCode(429);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().when().get("/applications/{token}", token).then().statusCode(200));
    }

    @Test
    void shouldNotLimitTheCreationOfApplications() {
        for (int i = 0; i < 8; i++) {
            given().contentType(ContentType.JSON).body("{\"name\": \"Desk\"}")
                    .when().post("/applications")
                    .then().statusCode(201)
                    .header("X-RateLimit-Limit", nullValue());
        }
    }
}
