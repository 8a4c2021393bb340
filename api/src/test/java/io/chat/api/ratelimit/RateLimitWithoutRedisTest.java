package io.chat.api.ratelimit;

import static io.chat.api.Fixtures.createApplication;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redis refuses connections (nothing listens on its port): the limiter must not take the API down. */
@QuarkusTest
@TestProfile(RateLimitWithoutRedisTest.NoRedis.class)
class RateLimitWithoutRedisTest {

    public static class NoRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1", "chat.rate-limit.requests", "2");
        }
    }

    @Test
    void shouldLetRequestsThroughUncountedWhenRedisIsDown() {
        String token = createApplication();

        for (int i = 0; i < 4; i++) {
            given().when().get("/applications/{token}", token)
                    .then().statusCode(200)
                    .header("X-RateLimit-Remaining", nullValue());
        }
    }
}
