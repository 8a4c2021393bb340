package io.chat.api.error;

import static io.chat.api.Fixtures.createApplication;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProblemDetailsTest {

    @Test
    void shouldAnswerAnUnknownPathWithAProblem() {
        given().when().get("/nothing/here")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://chat.example/problems/not-found"))
                .body("title", equalTo("Not found"))
                .body("status", equalTo(404));
    }

    @Test
    void shouldAnswerAMethodThePathDoesNotTakeWith405() {
        String token = createApplication();

        given().when().patch("/applications/{token}", token)
                .then().statusCode(405)
                .contentType("application/problem+json")
                .body("status", equalTo(405));
        given().when().delete("/applications/{token}/chats", token)
                .then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void shouldAnswerABodyOverOneMebibyteWith413() {
        String name = "n".repeat(1024 * 1024);

        given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\"}")
                .when().post("/applications")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("https://chat.example/problems/payload-too-large"))
                .body("status", equalTo(413));
    }

    @Test
    void shouldNeverLeakClassNamesOrParserDetails() {
        String body = given().contentType(ContentType.JSON).body("{\"name\": [1, {\"x\": ")
                .when().post("/applications")
                .then().statusCode(400)
                .extract().asString();

        for (String leak : new String[] {"Exception", "java.", "io.chat", "com.fasterxml", "line:", "Source:"}) {
            org.hamcrest.MatcherAssert.assertThat(body, not(containsString(leak)));
        }
    }
}
