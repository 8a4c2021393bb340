package io.chat.api.idempotency;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Idempotency-Key against the real Redis (what makes it hold across replicas). */
@QuarkusTest
class IdempotencyKeyTest {

    @TestHTTPResource("/applications/")
    URI applications;

    @Test
    void shouldReplayTheFirstAnswerForARepeatedMessageAndCreateOneMessage() {
        String token = createApplication();
        createChat(token);
        String key = UUID.randomUUID().toString();

        ExtractableResponse<Response> first = postMessage(token, key, "Hello").then().statusCode(202).extract();
        ExtractableResponse<Response> repeat = postMessage(token, key, "Hello").then().statusCode(202).extract();

        assertEquals(first.asString(), repeat.asString());
        assertEquals(first.header("Location"), repeat.header("Location"));
        assertEquals(2, postMessage(token, UUID.randomUUID().toString(), "Next").then().extract().<Integer>path("number"));
    }

    @Test
    void shouldAnswer422WhenAKeyIsReusedForAnotherRequest() {
        String token = createApplication();
        createChat(token);
        createChat(token);
        String key = UUID.randomUUID().toString();
        postMessage(token, key, "Hello").then().statusCode(202);

        postMessage(token, key, "Different").then().statusCode(422)
                .contentType("application/problem+json").body("status", equalTo(422));
        given().contentType(ContentType.JSON).header("Idempotency-Key", key).body("{\"body\": \"Hello\"}")
                .when().post("/applications/{token}/chats/2/messages", token)
                .then().statusCode(422);
        given().header("Idempotency-Key", key).when().post("/applications/{token}/chats", token)
                .then().statusCode(422);
    }

    @Test
    void shouldScopeKeysToTheirApplication() {
        String token = createApplication();
        String other = createApplication();
        createChat(token);
        createChat(other);
        String key = UUID.randomUUID().toString();

        postMessage(token, key, "Hello").then().statusCode(202).body("number", equalTo(1));
        postMessage(other, key, "Hello").then().statusCode(202).body("number", equalTo(1));
        postMessage(other, UUID.randomUUID().toString(), "Hello").then().statusCode(202).body("number", equalTo(2));
    }

    @Test
    void shouldCreateOneChatForARepeatedKey() {
        String token = createApplication();
        String key = UUID.randomUUID().toString();

        for (int i = 0; i < 3; i++) {
            given().header("Idempotency-Key", key).when().post("/applications/{token}/chats", token)
                    .then().statusCode(201).body("number", equalTo(1))
                    .header("Location", "/applications/" + token + "/chats/1");
        }
        given().when().get("/applications/{token}", token).then().body("chats_count", equalTo(1));
    }

    @Test
    void shouldLetOnlyOneOfConcurrentRepeatsCreate() {
        String token = createApplication();
        createChat(token);
        String key = UUID.randomUUID().toString();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        List<CompletableFuture<HttpResponse<String>>> futures = IntStream.range(0, 20)
                .mapToObj(i -> http.sendAsync(HttpRequest.newBuilder(applications.resolve(token + "/chats/1/messages"))
                        .header("Content-Type", "application/json").header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"body\": \"once\"}")).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        List<HttpResponse<String>> responses = futures.stream().map(CompletableFuture::join).toList();

        Map<Integer, Long> statuses = responses.stream()
                .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
        assertTrue(statuses.keySet().stream().allMatch(status -> status == 202 || status == 409), statuses.toString());
        assertTrue(responses.stream().filter(r -> r.statusCode() == 202).allMatch(r -> r.body().contains("\"number\":1,")));
        // the key was used once: the next message is number 2
        assertEquals(2, postMessage(token, UUID.randomUUID().toString(), "after").then().extract().<Integer>path("number"));
    }

    @Test
    void shouldRejectMalformedKeys() {
        String token = createApplication();
        createChat(token);

        for (String key : new String[] {"k".repeat(256), "tab\there", "clé"}) {
            postMessage(token, key, "Hello").then().statusCode(400)
                    .body("errors[0].field", equalTo("Idempotency-Key"));
        }
        postMessage(token, "k".repeat(255), "Hello").then().statusCode(202).body("number", equalTo(1));
    }

    private static Response postMessage(String token, String key, String body) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(Map.of("body", body))
                .when().post("/applications/{token}/chats/1/messages", token);
    }
}
