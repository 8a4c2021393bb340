package io.chat.api.message;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stops the real RabbitMQ node's application and starts it again. */
@QuarkusTest
class BrokerOutageTest {

    @AfterEach
    void startBroker() throws Exception {
        rabbitmqctl("start_app");
    }

    @Test
    void shouldAnswer503WhileTheBrokerIsDownAndRecoverByItself() throws Exception {
        String token = createApplication();
        createChat(token);
        given().contentType(ContentType.JSON).body("{\"body\": \"before\"}")
                .when().post("/applications/{token}/chats/1/messages", token).then().statusCode(202).body("number", equalTo(1));

        given().when().get("/q/health/ready").then().body("checks.find { it.name == 'RabbitMQ' }.status", equalTo("UP"));
        rabbitmqctl("stop_app");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/q/health/ready")
                .then().statusCode(503).body("checks.find { it.name == 'RabbitMQ' }.status", equalTo("DOWN")));
        given().contentType(ContentType.JSON).body("{\"body\": \"during\"}")
                .when().post("/applications/{token}/chats/1/messages", token)
                .then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5"));

        rabbitmqctl("start_app");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().contentType(ContentType.JSON).body("{\"body\": \"after\"}")
                        .when().post("/applications/{token}/chats/1/messages", token)
                        .then().statusCode(202));
        given().when().get("/q/health/ready").then().body("checks.find { it.name == 'RabbitMQ' }.status", equalTo("UP"));
        // the failed attempts left gaps; no number was handed out twice
        given().contentType(ContentType.JSON).body("{\"body\": \"later\"}")
                .when().post("/applications/{token}/chats/1/messages", token)
                .then().statusCode(202);
    }

    private static void rabbitmqctl(String command) throws Exception {
        Process process = new ProcessBuilder("rabbitmqctl", command).inheritIO().start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " failed");
        }
    }
}
