package io.chat.api.message;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stops the real RabbitMQ node's application and starts it again; deletes the API's queue under it. */
@QuarkusTest
class BrokerOutageTest {

    @TestHTTPResource("/applications/")
    URI applications;

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

    @Test
    void shouldAnswer503ToEveryRequestOfAMessageTheBrokerReturnsAndLeaveTheirNumbersGaps() throws Exception {
        String token = createApplication();
        createChat(token);
        try (OperationQueue queue = new OperationQueue()) {
            queue.drain();
            queue.delete();
            List<HttpResponse<String>> refused;
            try {
                refused = ConcurrentPosts.post(applications, token, 40, i -> 1);
            } finally {
                queue.declare();
            }
            assertEquals(List.of(503), refused.stream().map(HttpResponse::statusCode).distinct().toList());
            assertTrue(refused.stream().allMatch(response -> response.headers().firstValue("Retry-After").isPresent()));

            given().contentType(ContentType.JSON).body("{\"body\": \"after\"}")
                    .when().post("/applications/{token}/chats/1/messages", token)
                    .then().statusCode(202).body("number", equalTo(41));
            List<OperationQueue.Published> published = queue.drain();
            assertEquals(List.of(41), published.stream().map(one -> one.operation().number()).toList(), "only the one accepted");
        }
    }

    private static void rabbitmqctl(String command) throws Exception {
        Process process = new ProcessBuilder("rabbitmqctl", command).inheritIO().start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " failed");
        }
    }
}
