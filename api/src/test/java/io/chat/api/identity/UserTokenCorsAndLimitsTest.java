package io.chat.api.identity;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What browsers meet: CORS for the origins a deployment allows (never "*", never with credentials),
 * and rate limits per user and for an application's users together.
 */
@QuarkusTest
@TestProfile(UserTokenCorsAndLimitsTest.Profile.class)
class UserTokenCorsAndLimitsTest {

    static final String ALLOWED = "https://app.example";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.cors.origins", ALLOWED,
                    "chat.rate-limit.requests", "4", "chat.rate-limit.user-requests", "2", "chat.rate-limit.window", "60s");
        }
    }

    @Test
    void shouldAnswerAPreflightFromAnAllowedOrigin() {
        given().header("Origin", ALLOWED).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
                .when().options("/chats/1/messages")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(ALLOWED))
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("Authorization"))
                .header("Access-Control-Allow-Credentials", not(equalTo("true")));
    }

    @Test
    void shouldNotAllowAnotherOrigin() {
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .when().options("/chats/1/messages")
                .then().header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example").when().get("/q/health/live")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void shouldExposeTheHeadersAClientReadsToAnAllowedOrigin() {
        String application = createApplication();
        createChat(application);
        String token = mint(application, "reader");

        given().header("Origin", ALLOWED).header("Authorization", "Bearer " + token).when().get("/chats/1")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(ALLOWED))
                .header("Access-Control-Expose-Headers", containsString("Location"))
                .header("Access-Control-Expose-Headers", containsString("X-RateLimit-Remaining"))
                .header("Access-Control-Expose-Headers", containsString("WWW-Authenticate")); // why a token was refused
    }

    @Test
    void shouldLimitEachUserAndTheUsersOfAnApplicationTogether() {
        String application = createApplication();
        createChat(application);
        String alice = mint(application, "alice");
        String bob = mint(application, "bob");

        given().header("Authorization", "Bearer " + alice).when().get("/chats/1").then().statusCode(200).header("X-RateLimit-Remaining", equalTo("1"));
        given().header("Authorization", "Bearer " + alice).when().get("/chats/1").then().statusCode(200).header("X-RateLimit-Remaining", equalTo("0"));
        given().header("Authorization", "Bearer " + alice).when().get("/chats/1").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", not(nullValue()));
        // Bob has his own budget, within the users' four.
        given().header("Authorization", "Bearer " + bob).when().get("/chats/1").then().statusCode(200);
        given().header("Authorization", "Bearer " + bob).when().get("/chats/1").then().statusCode(429);
        // The application's own budget (its token) is another.
        given().when().get("/applications/{token}/chats/1", application).then().statusCode(200);
    }

    private static String mint(String application, String user) {
        return given().when().post("/applications/{token}/users/{user}/tokens", application, user)
                .then().statusCode(201).extract().path("token");
    }
}
