package io.chat.api.error;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The database is down: the datasource points at a port where nothing listens, so every
 * connection attempt is refused exactly as it is when MySQL has stopped.
 */
@QuarkusTest
@TestProfile(DatabaseDownTest.NoDatabase.class)
class DatabaseDownTest {

    public static class NoDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.jdbc.url", "jdbc:mysql://127.0.0.1:1/chat_test?connectTimeout=1000",
                    "quarkus.flyway.migrate-at-start", "false",
                    "quarkus.datasource.jdbc.acquisition-timeout", "2s");
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenMySqlIsDown() {
        given().contentType(ContentType.JSON).body("{\"name\": \"Desk\"}")
                .when().post("/applications")
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("type", equalTo("https://chat.example/problems/service-unavailable"))
                .body("status", equalTo(503))
                .body(not(containsString("jdbc")))
                .body(not(containsString("Exception")));

        given().when().get("/applications/AAAAAAAAAAAAAAAAAAAAAA/chats")
                .then().statusCode(503).header("Retry-After", equalTo("5"));
        given().when().post("/applications/AAAAAAAAAAAAAAAAAAAAAA/chats")
                .then().statusCode(503);
    }

    @Test
    void shouldReportNotReadyWhenMySqlIsDown() {
        given().when().get("/q/health/ready").then().statusCode(503);
        given().when().get("/q/health/live").then().statusCode(200);
    }
}
