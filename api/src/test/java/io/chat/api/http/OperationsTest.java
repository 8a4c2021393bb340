package io.chat.api.http;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.chat.api.Fixtures.postMessage;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.chat.api.text.TextPatterns;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What operators and client developers meet: the OpenAPI document, metrics, request ids. */
@QuarkusTest
class OperationsTest {

    private static final String APPLICATION = "/applications/{token}";
    private static final String CHATS = APPLICATION + "/chats";
    private static final String CHAT = CHATS + "/{number}";
    private static final String MESSAGES = CHAT + "/messages";
    private static final String MESSAGE = MESSAGES + "/{message}";
    private static final String PROBLEM = "application/problem+json";

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
    void shouldDocumentEachOperationsSuccessAndEveryErrorItCanAnswer() {
        JsonPath doc = openApi();
        // 400 (a malformed request line, query or header), 414, 503 and 504 can meet any operation.
        assertResponses(doc, "/applications", "post", "201", "400", "413", "414", "415", "503", "504");
        assertResponses(doc, APPLICATION, "get", "200", "400", "404", "414", "429", "503", "504");
        assertResponses(doc, APPLICATION, "put", "200", "400", "404", "413", "414", "415", "429", "503", "504");
        assertResponses(doc, APPLICATION, "delete", "204", "400", "404", "414", "429", "503", "504");
        assertResponses(doc, CHATS, "post", "201", "400", "404", "409", "413", "414", "415", "422", "429", "503", "504");
        assertResponses(doc, CHATS, "get", "200", "400", "404", "414", "429", "503", "504");
        assertResponses(doc, CHAT, "get", "200", "400", "404", "414", "429", "503", "504");
        assertResponses(doc, CHAT, "delete", "204", "400", "404", "414", "429", "503", "504");
        assertResponses(doc, MESSAGES, "post", "202", "400", "404", "409", "413", "414", "415", "422", "429", "503", "504");
        assertResponses(doc, MESSAGES, "get", "200", "400", "404", "414", "429", "503", "504");
        assertResponses(doc, MESSAGES + "/search", "get", "200", "400", "404", "414", "429", "503", "504");
        assertResponses(doc, MESSAGE, "get", "200", "400", "404", "414", "429", "503", "504");
        assertResponses(doc, MESSAGE, "put", "202", "400", "404", "413", "414", "415", "429", "503", "504");
        assertResponses(doc, MESSAGE, "delete", "202", "400", "404", "414", "429", "503", "504");
        assertResponses(doc, APPLICATION + "/users/{user}/tokens", "post", "201", "400", "404", "413", "414", "415", "429", "503", "504");
        assertResponses(doc, APPLICATION + "/users/{user}/tokens", "delete", "204", "400", "404", "414", "429", "503", "504");
        // The client paths: 401 for a token that does not count, 403 where a user acts for itself only.
        assertResponses(doc, "/chats/{number}", "get", "200", "400", "401", "404", "414", "429", "503", "504");
        assertResponses(doc, "/chats/{number}/messages", "post", "202", "400", "401", "403", "404", "409", "413", "414", "415", "422",
                "429", "503", "504");
        assertResponses(doc, "/chats/{number}/messages", "get", "200", "400", "401", "404", "414", "429", "503", "504");
        assertResponses(doc, "/chats/{number}/messages/{message}", "put", "202", "400", "401", "403", "404", "413", "414", "415", "429",
                "503", "504");
        assertResponses(doc, "/chats/{number}/messages/{message}", "delete", "202", "400", "401", "403", "404", "414", "429", "503", "504");
        assertEquals(List.of(Map.of("userToken", List.of())), doc.getList(operation("/chats/{number}", "get") + ".security"));
        assertEquals("bearer", doc.getString("components.securitySchemes.userToken.scheme"));
        assertThat(headers(doc, "/chats/{number}", "get", "401"), hasKey("WWW-Authenticate"));
        // 405 belongs to no operation: a method the path does not take.
        assertEquals(Set.of(PROBLEM), doc.getMap("components.responses.MethodNotAllowed.content").keySet());
    }

    @Test
    void shouldDocumentLocationOnCreatesAndRetryAfterOnRateLimitsAndOutages() {
        JsonPath doc = openApi();
        assertThat(headers(doc, "/applications", "post", "201"), hasKey("Location"));
        assertThat(headers(doc, CHATS, "post", "201"), hasKey("Location"));
        assertThat(headers(doc, MESSAGES, "post", "202"), hasKey("Location"));
        assertThat(headers(doc, MESSAGE, "get", "429").keySet(),
                hasItems("Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"));
        assertThat(headers(doc, "/applications", "post", "503"), hasKey("Retry-After"));
    }

    @Test
    void shouldDocumentTheRateLimitHeadersOnEveryCountedAnswerAndOnlyThere() {
        JsonPath doc = openApi();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        paths.forEach((path, operations) -> operations.keySet().forEach(method -> {
            Map<String, Object> responses = doc.getMap(operation(path, method) + ".responses");
            responses.keySet().forEach(status -> {
                Map<String, Object> headers = headers(doc, path, method, status);
                Set<String> names = headers == null ? Set.of() : headers.keySet();
                String where = method + " " + path + " " + status;
                // Counted: under an application's token, and with a user token once it is verified (not its 401).
                if (path.contains("{token}") || path.startsWith("/chats/") && !status.equals("401")) {
                    assertThat(where, names, hasItems("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"));
                } else {
                    assertThat(where, names, not(hasItems("X-RateLimit-Limit")));
                }
            });
        }));
        assertThat(headers(doc, MESSAGE, "get", "200"), hasKey("X-RateLimit-Remaining"));
    }

    @Test
    void shouldMarkEveryFieldOfAnAnswerRequiredAndSayWhichMayBeNull() {
        JsonPath doc = openApi();
        for (String schema : new String[] {"Application", "Chat", "Message", "PageChat", "PageMessage"}) {
            assertEquals(properties(doc, schema), new TreeSet<>(doc.getList("components.schemas." + schema + ".required")), schema);
        }
        assertEquals(List.of("string", "null"), doc.getList("components.schemas.PageMessage.properties.next_cursor.type"));
        // created_at is null in the 202 of an edit accepted before its create was persisted.
        assertThat(doc.getString("components.schemas.Message.properties.created_at"), containsString("null"));
        assertThat(doc.getString("components.schemas.Chat.properties.created_at"), not(containsString("null")));
    }

    @Test
    void shouldAnchorPathPatternsAndStartPathNumbersAtOne() {
        JsonPath doc = openApi();
        Map<String, Object> token = parameter(doc, MESSAGE, "get", "token");
        assertEquals("^[A-Za-z0-9_-]{22}$", ((Map<?, ?>) token.get("schema")).get("pattern"));
        for (String name : new String[] {"number", "message"}) {
            Map<?, ?> schema = (Map<?, ?>) parameter(doc, MESSAGE, "get", name).get("schema");
            assertEquals("integer", schema.get("type"), name);
            assertEquals(1, schema.get("minimum"), name);
            assertEquals("int32", schema.get("format"), name);
        }
    }

    @Test
    void shouldDocumentTheTextRulesOfRequestFieldsAsTheyAreChecked() {
        JsonPath doc = openApi();
        String body = "components.schemas.MessageRequest.properties.body";
        assertEquals(1, doc.getInt(body + ".minLength"));
        assertEquals(10_000, doc.getInt(body + ".maxLength"));
        assertEquals(TextPatterns.BODY, doc.getString(body + ".pattern"));
        String name = "components.schemas.ApplicationRequest.properties.name";
        assertEquals(1, doc.getInt(name + ".minLength"));
        // 255 characters after trimming: the pattern says it, a maxLength would count the trimmed spaces.
        assertNull(doc.get(name + ".maxLength"));
        assertEquals(TextPatterns.NAME, doc.getString(name + ".pattern"));
    }

    @Test
    void shouldDocumentThatCreatingAChatTakesNoBodyOrAnEmptyJsonObject() {
        JsonPath doc = openApi();
        String body = operation(CHATS, "post") + ".requestBody";
        assertEquals(false, doc.getBoolean(body + ".required"));
        assertEquals(Set.of("application/json"), doc.getMap(body + ".content").keySet());
    }

    @Test
    void shouldNameEveryDocumentedFieldAsOnTheWire() {
        JsonPath doc = openApi();
        assertEquals(Set.of("token", "name", "chats_count", "created_at", "updated_at"), properties(doc, "Application"));
        assertEquals(Set.of("number", "messages_count", "created_at", "updated_at"), properties(doc, "Chat"));
        assertEquals(Set.of("number", "chat_number", "sender", "body", "hashtags", "created_at", "updated_at"), properties(doc, "Message"));
        assertEquals(Set.of("token", "user", "expires_at", "chats"), properties(doc, "UserToken"));
        assertEquals(Set.of("data", "next_cursor"), properties(doc, "PageChat"));
        assertEquals(Set.of("data", "next_cursor"), properties(doc, "PageMessage"));
        assertEquals(Set.of("type", "title", "status", "detail", "errors"), properties(doc, "Problem"));
    }

    /** Each parameter of the lists and trends once, documented by its shared component (the rules it is checked by). */
    @Test
    void shouldDocumentTheFiltersOfListsAndTrendsOnceEach() {
        JsonPath doc = openApi();
        Map<String, List<String>> expected = Map.of(
                "/applications/{token}/chats/{number}/messages", List.of("cursor", "limit", "order", "sender", "hashtag", "from", "to"),
                "/chats/{number}/messages", List.of("cursor", "limit", "order", "sender", "hashtag", "from", "to"),
                "/applications/{token}/trends", List.of("interval", "chat", "sender", "hashtag", "trendsFrom", "trendsTo"),
                "/applications/{token}/hashtags", List.of("chat", "trendsFrom", "trendsTo", "hashtagsLimit"));
        expected.forEach((path, components) -> {
            List<Map<String, Object>> parameters = doc.getList("paths.'" + path + "'.get.parameters");
            List<String> refs = parameters.stream().map(parameter -> (String) parameter.get("$ref")).filter(Objects::nonNull)
                    .map(ref -> ref.substring(ref.lastIndexOf('/') + 1)).toList();
            assertEquals(new TreeSet<>(components), new TreeSet<>(refs), path);
            assertEquals(refs.size(), refs.stream().distinct().count(), path + ": " + refs);
            parameters.stream().filter(parameter -> parameter.get("name") != null)
                    .forEach(parameter -> assertEquals("path", parameter.get("in"), path + ": " + parameter));
        });
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

    private static JsonPath openApi() {
        return given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath();
    }

    private static String operation(String path, String method) {
        return "paths.'" + path + "'." + method;
    }

    /** Exactly these statuses; successes in JSON, errors in problem+json. */
    private static void assertResponses(JsonPath doc, String path, String method, String... statuses) {
        String operation = method.toUpperCase() + " " + path;
        Map<String, Object> responses = doc.getMap(operation(path, method) + ".responses");
        assertEquals(new TreeSet<>(Set.of(statuses)), new TreeSet<>(responses.keySet()), operation);
        for (String status : statuses) {
            Map<String, Object> content = response(doc, path, method, status).get("content");
            if (status.startsWith("4") || status.startsWith("5")) {
                assertEquals(Set.of(PROBLEM), content.keySet(), operation + " " + status);
            } else if (content != null) {
                assertEquals(Set.of("application/json"), content.keySet(), operation + " " + status);
            }
        }
    }

    private static Map<String, Object> headers(JsonPath doc, String path, String method, String status) {
        return response(doc, path, method, status).get("headers");
    }

    /** The response's content, headers and links, followed to components.responses when it is a $ref. */
    private static Map<String, Map<String, Object>> response(JsonPath doc, String path, String method, String status) {
        Map<String, Map<String, Object>> response = doc.getMap(operation(path, method) + ".responses.'" + status + "'");
        assertNotNull(response, method.toUpperCase() + " " + path + " does not document " + status);
        Object ref = response.get("$ref");
        if (ref == null) {
            return response;
        }
        return doc.getMap("components.responses." + ref.toString().substring("#/components/responses/".length()));
    }

    private static Map<String, Object> parameter(JsonPath doc, String path, String method, String name) {
        List<Map<String, Object>> parameters = doc.getList(operation(path, method) + ".parameters");
        return parameters.stream().filter(parameter -> name.equals(parameter.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(method + " " + path + " has no parameter " + name));
    }

    private static Set<String> properties(JsonPath doc, String schema) {
        return doc.<String, Object>getMap("components.schemas." + schema + ".properties").keySet();
    }

    private static double accepted() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = ACCEPTED.matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
