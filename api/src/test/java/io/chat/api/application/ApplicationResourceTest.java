package io.chat.api.application;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApplicationResourceTest {

    @Inject
    AgroalDataSource dataSource;

    private static final String RFC_3339_MILLIS = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    @Test
    void shouldCreateAnApplicationWithATokenAndNoInternalId() {
        String token = given().contentType(ContentType.JSON).body("{\"name\": \"  Support desk  \"}")
                .when().post("/applications")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .body("token", matchesPattern("[A-Za-z0-9_-]{22}"))
                .body("name", equalTo("Support desk"))
                .body("chats_count", equalTo(0))
                .body("created_at", matchesPattern(RFC_3339_MILLIS))
                .body("updated_at", matchesPattern(RFC_3339_MILLIS))
                .body("keySet()", containsInAnyOrder("token", "name", "chats_count", "created_at", "updated_at"))
                .extract().path("token");

        given().when().get("/applications/{token}", token)
                .then().statusCode(200)
                .body("token", equalTo(token))
                .body("name", equalTo("Support desk"));
    }

    @Test
    void shouldAnswerWithTheLocationOfTheNewApplication() {
        String location = given().contentType(ContentType.JSON).body("{\"name\": \"Desk\"}")
                .when().post("/applications")
                .then().statusCode(201)
                .extract().header("Location");

        given().when().get(location).then().statusCode(200).body("name", equalTo("Desk"));
    }

    @Test
    void shouldStoreOnlyTheHashOfTheToken() throws SQLException {
        String token = createApplication("Hashed");

        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT * FROM applications"
                        + " WHERE token_hash = UNHEX(SHA2(?, 256))")) {
            select.setString(1, token);
            try (ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "no row under the token's hash");
                for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                    String value = row.getString(column);
                    assertFalse(value != null && value.contains(token), row.getMetaData().getColumnName(column));
                }
            }
        }
    }

    @Test
    void shouldNeverHandOutTheSameTokenTwice() {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            tokens.add(createApplication());
        }
        assertEquals(50, tokens.size());
    }

    @Test
    void shouldKeepMillisecondsOfTimestampsThroughTheDatabase() {
        String token = createApplication();
        String created = given().when().post("/applications/{token}/chats", token)
                .then().statusCode(201).extract().path("created_at");

        given().when().get("/applications/{token}/chats/1", token)
                .then().statusCode(200).body("created_at", equalTo(created));
    }

    @Test
    void shouldRenameAnApplication() {
        String token = createApplication("Old name");
        String createdAt = given().when().get("/applications/{token}", token).then().extract().path("created_at");

        given().contentType(ContentType.JSON).body("{\"name\": \"New name\"}")
                .when().put("/applications/{token}", token)
                .then().statusCode(200)
                .body("name", equalTo("New name"))
                .body("created_at", equalTo(createdAt));

        given().when().get("/applications/{token}", token).then().body("name", equalTo("New name"));
    }

    @Test
    void shouldCountTheChatsThatExist() {
        String token = createApplication();
        createChat(token);
        createChat(token);
        createChat(token);
        given().when().delete("/applications/{token}/chats/2", token).then().statusCode(204);

        given().when().get("/applications/{token}", token).then().body("chats_count", equalTo(2));
    }

    @Test
    void shouldAnswer404ForEverythingOfADeletedApplication() {
        String token = createApplication();
        createChat(token);

        given().when().delete("/applications/{token}", token).then().statusCode(204).body(equalTo(""));

        given().when().get("/applications/{token}", token).then().statusCode(404);
        given().contentType(ContentType.JSON).body("{\"name\": \"x\"}").when().put("/applications/{token}", token)
                .then().statusCode(404);
        given().when().delete("/applications/{token}", token).then().statusCode(404);
        given().when().get("/applications/{token}/chats", token).then().statusCode(404);
        given().when().get("/applications/{token}/chats/1", token).then().statusCode(404);
        given().when().post("/applications/{token}/chats", token).then().statusCode(404);
        given().when().delete("/applications/{token}/chats/1", token).then().statusCode(404);
    }

    @Test
    void shouldAnswer404ForUnknownAndMalformedTokens() {
        String token = createApplication();
        String otherCase = token.equals(token.toUpperCase()) ? token.toLowerCase() : token.toUpperCase();

        for (String unknown : new String[] {"AAAAAAAAAAAAAAAAAAAAAA", otherCase, "short", token + "x", "with%20space"}) {
            given().urlEncodingEnabled(false).when().get("/applications/" + unknown)
                    .then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("status", equalTo(404));
        }
    }

    @Test
    void shouldRejectInvalidNamesWithTheField() {
        for (String body : new String[] {"{\"name\": \"\"}", "{\"name\": \"   \"}", "{}", "{\"name\": null}"}) {
            given().contentType(ContentType.JSON).body(body)
                    .when().post("/applications")
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://chat.example/problems/validation"))
                    .body("title", equalTo("Invalid request"))
                    .body("status", equalTo(400))
                    .body("detail", equalTo("name must not be blank"))
                    .body("errors.field", contains("name"));
        }
    }

    @Test
    void shouldAcceptAName255CharactersLongAfterTrimmingAndRejectOneCharacterMore() {
        String longest = "n".repeat(255);
        given().contentType(ContentType.JSON).body("{\"name\": \"  " + longest + "  \"}")
                .when().post("/applications")
                .then().statusCode(201).body("name", equalTo(longest));

        given().contentType(ContentType.JSON).body("{\"name\": \"" + longest + "n\"}")
                .when().post("/applications")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].message", equalTo("must be at most 255 characters"));
    }

    @Test
    void shouldKeepUnicodeNamesIntact() {
        String name = "Équipe 支援 🚀";
        String token = given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\"}")
                .when().post("/applications")
                .then().statusCode(201).extract().path("token");

        given().when().get("/applications/{token}", token).then().body("name", equalTo(name));
    }

    @Test
    void shouldRejectANameThatIsNotAString() {
        given().contentType(ContentType.JSON).body("{\"name\": 42}")
                .when().post("/applications")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].message", equalTo("has the wrong type"));
    }

    @Test
    void shouldRejectAMissingOrMalformedBody() {
        given().contentType(ContentType.JSON)
                .when().post("/applications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", nullValue())
                .body("errors[0].message", equalTo("a JSON request body is required"));

        given().contentType(ContentType.JSON).body("{\"name\": \"unterminated")
                .when().post("/applications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("request body is not a well-formed JSON object"));

        given().contentType(ContentType.JSON).body("[\"name\"]")
                .when().post("/applications")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("request body is not a well-formed JSON object"));
    }

    @Test
    void shouldRejectABodyThatIsNotJsonWith415() {
        given().contentType(ContentType.TEXT).body("name=Desk")
                .when().post("/applications")
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415));
    }

    @Test
    void shouldNotListApplications() {
        given().when().get("/applications")
                .then().statusCode(405)
                .contentType("application/problem+json")
                .body("status", equalTo(405));
    }
}
