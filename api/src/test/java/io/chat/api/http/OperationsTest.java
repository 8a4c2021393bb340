package io.chat.api.http;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.chat.api.Fixtures.postMessage;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What operators and client developers meet: the OpenAPI document, metrics, request ids. */
@QuarkusTest
class OperationsTest {

    private static final Pattern ACCEPTED = Pattern.compile("chat_message_operations_accepted_total\\{[^}]*type=\"create\"[^}]*\\} ([0-9.E]+)");

    @Test
    void shouldDocumentTheContractInOpenApiWithItsSnakeCaseFields() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths", hasKey("/applications/{token}/chats/{number}/messages/search"))
                .body("paths", hasKey("/applications/{token}/chats/{number}/messages/{message}"))
                .body("components.schemas.Application.properties", hasKey("chats_count"))
                .body("components.schemas.Application.properties", not(hasKey("chatsCount")));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void shouldCountAcceptedMessagesInPrometheusMetrics() {
        String token = createApplication();
        createChat(token);
        double before = accepted();

        postMessage(token, 1, "counted");
        postMessage(token, 1, "counted too");

        assertEquals(before + 2, accepted());
    }

    @Test
    void shouldEchoTheRequestIdOrMakeOne() {
        given().header("X-Request-Id", "abc-123").when().get("/applications/AAAAAAAAAAAAAAAAAAAAAA")
                .then().statusCode(404).header("X-Request-Id", equalTo("abc-123"));
        given().when().get("/applications/AAAAAAAAAAAAAAAAAAAAAA")
                .then().header("X-Request-Id", matchesPattern("[0-9a-f-]{36}"));
    }

    private static double accepted() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = ACCEPTED.matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
