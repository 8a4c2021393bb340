package io.chat.api.identity;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Redis refuses connections (nothing listens on its port): user tokens are checked against MySQL
 * instead, and a revocation that cannot reach Redis is refused whole (503), not half done.
 */
@QuarkusTest
@TestProfile(UserTokensWithoutRedisTest.NoRedis.class)
class UserTokensWithoutRedisTest {

    public static class NoRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:1");
        }
    }

    @Test
    void shouldCheckTokensAgainstMySqlAndRefuseARevocationItCannotSpread() {
        String application = createApplication();
        createChat(application);
        String token = given().when().post("/applications/{token}/users/{user}/tokens", application, "u1")
                .then().statusCode(201).extract().path("token");

        given().header("Authorization", "Bearer " + token).when().get("/chats/1").then().statusCode(200);

        given().when().delete("/applications/{token}/users/{user}/tokens", application, "u1")
                .then().statusCode(503).contentType("application/problem+json").header("Retry-After", equalTo("5"));
        // Nothing was revoked: the token still counts, and a retry once Redis is back revokes it.
        given().header("Authorization", "Bearer " + token).when().get("/chats/1").then().statusCode(200);
    }

    @Test
    void shouldRefuseTheTokensOfADeletedApplicationFromMySql() {
        String application = createApplication();
        createChat(application);
        String token = given().when().post("/applications/{token}/users/{user}/tokens", application, "u1")
                .then().statusCode(201).extract().path("token");

        given().when().delete("/applications/{token}", application).then().statusCode(204);

        UserTokensTest.unauthorized(given().header("Authorization", "Bearer " + token).when().get("/chats/1").then());
    }
}
