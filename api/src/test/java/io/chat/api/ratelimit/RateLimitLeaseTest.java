package io.chat.api.ratelimit;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chat.common.Tokens;
import io.chat.common.cache.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A budget large enough to be leased ten places at a time (a user's: three), in a window longer than
 * any test.
 */
@QuarkusTest
@TestProfile(RateLimitLeaseTest.ThousandRequestsPerMinute.class)
class RateLimitLeaseTest {

    public static class ThousandRequestsPerMinute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.rate-limit.requests", "1000", "chat.rate-limit.window", "60s", "chat.rate-limit.user-requests", "300");
        }
    }

    @Inject
    RedisDataSource redis;

    @Test
    void shouldTakeItsPlacesInRedisTenAtATimeAndCountEachRequestDown() {
        String token = createApplication(); // not counted: no token yet
        for (int remaining = 999; remaining >= 975; remaining--) {
            given().when().get("/applications/{token}", token)
                    .then().statusCode(200)
                    .header("X-RateLimit-Limit", "1000")
                    .header("X-RateLimit-Remaining", Integer.toString(remaining));
        }
        // 25 requests, three leases of ten.
        assertEquals(30L, redis.value(Long.class).get(counter(token)));
    }

    @Test
    void shouldLetExactlyTheLimitThroughUnderConcurrentRequests() throws Exception {
        String token = createApplication();
        createChat(token); // place 1
        assertEquals(List.of(999, 100), statuses(token, 1_099));
    }

    @Test
    void shouldLetThroughOnlyWhatOtherReplicasLeft() throws Exception {
        String token = createApplication();
        // What other replicas took of the window already, used or leased.
        redis.value(Long.class).setex(counter(token), 60, 700L);
        assertEquals(List.of(300, 50), statuses(token, 350));
        // Full: refused from memory, Redis is asked nothing more.
        assertEquals(1_000L, redis.value(Long.class).get(counter(token)));
    }

    /** A user token's request counts against two budgets, whose leases are spent and renewed at once. */
    @Test
    void shouldLetExactlyAUsersBudgetThroughUnderConcurrentRequestsOfTwoBudgets() throws Exception {
        String token = createApplication();
        createChat(token);
        String alice = given().when().post("/applications/{token}/users/{user}/tokens", token, "alice")
                .then().statusCode(201).extract().path("token");
        assertEquals(List.of(300, 100), statuses(400,
                () -> given().header("Authorization", "Bearer " + alice).when().get("/chats/1/messages").statusCode()));
    }

    /** How many of {@code requests} concurrent GETs of chat 1's messages answered 200, and how many 429. */
    private static List<Integer> statuses(String token, int requests) throws Exception {
        return statuses(requests, () -> given().when().get("/applications/{token}/chats/1/messages", token).statusCode());
    }

    private static List<Integer> statuses(int requests, java.util.concurrent.Callable<Integer> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                answers.add(pool.submit(request));
            }
            int ok = 0;
            int refused = 0;
            for (Future<Integer> answer : answers) {
                int status = answer.get();
                ok += status == 200 || status == 404 ? 1 : 0;
                refused += status == 429 ? 1 : 0;
            }
            return List.of(ok, refused);
        } finally {
            pool.shutdownNow();
        }
    }

    private static String counter(String token) {
        return RedisKeys.rateLimit(Tokens.hashHex(token));
    }
}
