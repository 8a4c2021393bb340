package io.chat.api.http;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.chat.api.Fixtures.postMessage;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chat.api.chat.rest.ChatResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which paths exist and which methods each takes: OPTIONS, 405 with Allow, matrix parameters, Accept. */
@QuarkusTest
class PathsAndMethodsTest {

    @Test
    void shouldAnswerOptionsOnEveryDocumentedPathWithTheMethodsTheDocumentGivesIt() {
        String token = createApplication();
        createChat(token);
        postMessage(token, 1, "hello");
        JsonPath doc = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");

        assertAll(paths.entrySet().stream().map(path -> () -> {
            Set<String> expected = new TreeSet<>(Set.of("OPTIONS"));
            path.getValue().keySet().forEach(method -> expected.add(method.toUpperCase(Locale.ROOT)));
            if (expected.contains("GET")) {
                expected.add("HEAD");
            }
            String concrete = path.getKey().replace("{token}", token).replace("{number}", "1").replace("{message}", "1")
                    .replace("{user}", "u1");
            given().when().options(concrete)
                    .then().statusCode(204).header("Allow", equalTo(String.join(", ", expected))).body(emptyString());
        }));
    }

    @ParameterizedTest
    @CsvSource({
            "PATCH, /chats/1, 'DELETE, GET, HEAD, OPTIONS'",
            "POST, /chats/1, 'DELETE, GET, HEAD, OPTIONS'",
            "PUT, /chats, 'GET, HEAD, OPTIONS, POST'",
            "DELETE, /chats/1/messages, 'GET, HEAD, OPTIONS, POST'",
            "POST, /chats/1/messages/search, 'GET, HEAD, OPTIONS'",
            "PATCH, /chats/1/messages/1, 'DELETE, GET, HEAD, OPTIONS, PUT'",
            "POST, '', 'DELETE, GET, HEAD, OPTIONS, PUT'"})
    void shouldAnswer405WithTheAllowListAndDoNothing(String method, String path, String allow) {
        String token = createApplication();
        createChat(token);
        postMessage(token, 1, "hello");

        given().contentType(ContentType.JSON).body("{\"name\": \"changed\", \"body\": \"changed\"}")
                .when().request(method, "/applications/" + token + path)
                .then().statusCode(405).contentType("application/problem+json").header("Allow", equalTo(allow))
                .body("status", equalTo(405));

        given().when().get("/applications/{token}", token).then().statusCode(200).body("name", equalTo("Support desk"))
                .body("chats_count", equalTo(1));
        given().when().get("/applications/{token}/chats/1", token).then().statusCode(200);
    }

    @Test
    void shouldAnswer405WithAllowOnTheApplicationsCollection() {
        given().when().delete("/applications")
                .then().statusCode(405).contentType("application/problem+json").header("Allow", equalTo("OPTIONS, POST"));
        given().when().get("/applications")
                .then().statusCode(405).header("Allow", equalTo("OPTIONS, POST"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi"})
    void shouldTakeOnlyGetOnTheOperationalEndpoints(String path) {
        for (String method : new String[] {"PATCH", "POST", "PUT", "DELETE"}) {
            given().when().request(method, path)
                    .then().statusCode(405).contentType("application/problem+json").header("Allow", equalTo("GET, HEAD, OPTIONS"));
        }
        given().when().options(path).then().statusCode(204).header("Allow", equalTo("GET, HEAD, OPTIONS"));
        given().when().get(path).then().statusCode(200);
    }

    @Test
    void shouldAnswerOptionsOnAPathThatNamesNothingWith404() {
        given().when().options("/nothing/here").then().statusCode(404).contentType("application/problem+json");
        given().when().options("/applications/short/chats").then().statusCode(404).contentType("application/problem+json");
    }

    /** Matrix parameters are not part of our paths: a segment with a ';' names nothing, whatever the method. */
    @ParameterizedTest
    @CsvSource({"GET, ;x=1", "PUT, ;x=1", "DELETE, ;", "GET, /chats/1;x=1", "DELETE, /chats/1;x=1",
            "POST, /chats/1;x=1/messages", "GET, /chats/1/messages/1;", "PUT, /chats/1/messages/1;v=2", "DELETE, /chats/1/messages/1;"})
    void shouldAnswer404ToMatrixParametersAndActOnNothing(String method, String suffix) {
        String token = createApplication();
        createChat(token);
        postMessage(token, 1, "hello");

        given().contentType(ContentType.JSON).body("{\"name\": \"changed\", \"body\": \"changed\"}")
                .when().request(method, "/applications/" + token + suffix)
                .then().statusCode(404).contentType("application/problem+json");

        given().when().get("/applications/{token}", token).then().statusCode(200).body("name", equalTo("Support desk"));
        given().when().get("/applications/{token}/chats/1", token).then().statusCode(200);
        // The next message is 2: nothing was posted on the way.
        assertEquals(2, postMessage(token, 1, "next"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/problem+json", "text/html", "application/xml", "text/plain;q=0.5, image/png"})
    void shouldAnswerJsonWhateverTheAcceptAndDoWhatWasAsked(String accept) {
        String token = createApplication();
        createChat(token);
        createChat(token);

        given().accept(accept).when().delete("/applications/{token}/chats/2", token).then().statusCode(204);
        given().accept(accept).when().get("/applications/{token}/chats/1", token)
                .then().statusCode(200).contentType(ContentType.JSON).body("number", equalTo(1));
        given().accept(accept).when().get("/applications/{token}/chats/2", token)
                .then().statusCode(404).contentType("application/problem+json");
        given().accept(accept).contentType(ContentType.JSON).body("{\"body\": \"hi\"}")
                .when().post("/applications/{token}/chats/1/messages", token)
                .then().statusCode(202).contentType(ContentType.JSON).body("number", equalTo(1)).body("body", equalTo("hi"));
    }

    @Test
    void shouldAnswerAMissingHostWithAProblem() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.getOutputStream().write("GET /q/health/live HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 400 Bad Request", answer.lines().findFirst().orElse(""));
            assertTrue(answer.contains("application/problem+json"), answer);
        }
    }

    @Test
    void shouldDeriveTheAllowListsFromTheResources() {
        AllowedMethods allowed = AllowedMethods.of(List.of(ChatResource.class));
        assertEquals(Set.of("GET", "HEAD", "OPTIONS", "POST"), allowed.of("/applications/AAAAAAAAAAAAAAAAAAAAAA/chats"));
        assertEquals(Set.of("DELETE", "GET", "HEAD", "OPTIONS"), allowed.of("/applications/AAAAAAAAAAAAAAAAAAAAAA/chats/12"));
        assertEquals(Set.of("DELETE", "GET", "HEAD", "OPTIONS"), allowed.of("/applications/AAAAAAAAAAAAAAAAAAAAAA/chats/12/"));
        assertEquals(Set.of(), allowed.of("/applications/AAAAAAAAAAAAAAAAAAAAAA/chats/012"));
        assertEquals(Set.of(), allowed.of("/applications/AAAAAAAAAAAAAAAAAAAAA/chats/1"));
    }
}
