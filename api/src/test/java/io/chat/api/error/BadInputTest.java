package io.chat.api.error;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.chat.api.Fixtures.postMessage;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.chat.api.search.SearchDocuments;
import io.chat.common.search.SearchNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input on every endpoint of the contract. Each is refused with the right 4xx as
 * application/problem+json, stores nothing (the next chat and message get the numbers they would
 * have got) and logs nothing at ERROR; what is accepted comes back exactly as sent.
 */
@QuarkusTest
@QuarkusTestResource(SearchNode.class)
class BadInputTest {

    private static final int MEBIBYTE = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ErrorLog ERRORS = new ErrorLog();

    @Inject
    AgroalDataSource database;

    @Inject
    RestClient searchClient;

    @TestHTTPResource("/")
    URI server;

    @BeforeEach
    void listenForErrors() {
        ERRORS.start();
    }

    @AfterEach
    void shouldHaveLoggedNothingAtError() {
        assertEquals(List.of(), ERRORS.drain(), "logged at ERROR");
    }

    @AfterAll
    static void stopListening() {
        ERRORS.stop();
    }

    /** The endpoints that read a JSON body, with the text field each takes (chats take none). */
    enum BodyEndpoint {
        CREATE_APPLICATION("POST", "/applications", "name", 255, 201),
        RENAME_APPLICATION("PUT", "/applications/{token}", "name", 255, 200),
        CREATE_CHAT("POST", "/applications/{token}/chats", null, 0, 201),
        POST_MESSAGE("POST", "/applications/{token}/chats/1/messages", "body", 10_000, 202),
        EDIT_MESSAGE("PUT", "/applications/{token}/chats/1/messages/1", "body", 10_000, 202);

        final String method;
        final String path;
        final String field;
        final int maxLength;
        final int success;

        BodyEndpoint(String method, String path, String field, int maxLength, int success) {
            this.method = method;
            this.path = path;
            this.field = field;
            this.maxLength = maxLength;
            this.success = success;
        }

        String path(String token) {
            return path.replace("{token}", token);
        }

        /** A body template with FIELD in place of this endpoint's field; chats, which ignore fields, get "name". */
        String body(String template) {
            return template.replace("FIELD", field == null ? "name" : field);
        }

        String validBody() {
            return field == null ? "{}" : body("{\"FIELD\": \"Hello\"}");
        }
    }

    /** An application with chat 1 and message 1 (accepted; no worker persists it in the api module's tests). */
    private static String fixture() {
        String token = createApplication();
        createChat(token);
        postMessage(token, 1, "first");
        return token;
    }

    // ---- Malformed JSON ----------------------------------------------------------------------

    /** A request body, built for one endpoint. */
    private record Body(String description, Function<BodyEndpoint, byte[]> bytes) {

        static Body json(String description, String template) {
            return new Body(description, endpoint -> utf8(endpoint.body(template)));
        }

        /** {@code raw} bytes inside the field's string value: {"FIELD": "a<raw>b"}. */
        static Body inString(String description, int... raw) {
            return new Body(description, endpoint -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                bytes.writeBytes(utf8(endpoint.body("{\"FIELD\": \"a")));
                for (int b : raw) {
                    bytes.write(b);
                }
                bytes.writeBytes(utf8("b\"}"));
                return bytes.toByteArray();
            });
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static final List<Body> MALFORMED = List.of(
            Body.json("an object cut short", "{\"FIELD\": \"Hello\""),
            Body.json("a string cut short", "{\"FIELD\": \"Hel"),
            Body.json("a value missing", "{\"FIELD\": }"),
            Body.json("an opening brace alone", "{"),
            Body.json("a trailing comma", "{\"FIELD\": \"Hello\",}"),
            Body.json("single quotes", "{'FIELD': 'Hello'}"),
            Body.json("an unquoted key", "{FIELD: \"Hello\"}"),
            Body.json("a comment", "{\"FIELD\": \"Hello\" /* hi */}"),
            Body.json("a raw line break in a string", "{\"FIELD\": \"Hel\nlo\"}"),
            Body.json("an unknown escape", "{\"FIELD\": \"\\x41\"}"),
            Body.json("a unicode escape cut short", "{\"FIELD\": \"\\u12\"}"),
            Body.json("NaN", "{\"FIELD\": NaN}"),
            Body.json("garbage after the object", "{\"FIELD\": \"Hello\"} garbage"),
            Body.json("a second object", "{\"FIELD\": \"Hello\"}{\"FIELD\": \"Bye\"}"),
            Body.json("a key given twice", "{\"FIELD\": \"Hello\", \"FIELD\": \"Bye\"}"),
            Body.json("an array for the body", "[{\"FIELD\": \"Hello\"}]"),
            Body.json("an empty array for the body", "[]"),
            Body.json("a string for the body", "\"Hello\""),
            Body.json("a number for the body", "42"),
            Body.json("true for the body", "true"),
            Body.json("10,000 nested arrays", "[".repeat(10_000) + "]".repeat(10_000)),
            Body.json("10,000 nested objects", "{\"a\": ".repeat(10_000) + "1" + "}".repeat(10_000)),
            Body.json("a number of 100,000 digits", "{\"FIELD\": 1" + "0".repeat(100_000) + "}"),
            Body.inString("a UTF-8 sequence cut short", 0xC3, 0x28),
            Body.inString("a byte UTF-8 never uses", 0xFF),
            Body.inString("a surrogate encoded in UTF-8", 0xED, 0xA0, 0x80),
            Body.inString("an overlong two-byte /", 0xC0, 0xAF),
            Body.inString("an overlong three-byte /", 0xE0, 0x80, 0xAF),
            Body.inString("a code point past U+10FFFF", 0xF4, 0x90, 0x80, 0x80),
            new Body("UTF-16 without a byte order mark", endpoint -> endpoint.validBody().getBytes(StandardCharsets.UTF_16LE)),
            new Body("UTF-16 with a byte order mark", endpoint -> endpoint.validBody().getBytes(StandardCharsets.UTF_16)));

    static Stream<Body> malformed() {
        return MALFORMED.stream();
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void shouldRefuseMalformedJsonWith400OnEveryEndpointAndStoreNothing(Body body) throws Exception {
        String token = fixture();
        Stored before = stored(token);

        assertAll(Stream.of(BodyEndpoint.values()).map(endpoint -> () -> {
            ValidatableResponse response = given().contentType("application/json").body(body.bytes().apply(endpoint))
                    .when().request(endpoint.method, endpoint.path(token))
                    .then();
            assertProblem(response, 400);
            response.body("type", equalTo("https://chat.example/problems/validation"))
                    .body("errors[0].field", nullValue());
            assertEquals(before, stored(token), endpoint + " stored something");
        }));
        assertNextNumbers(token);
    }

    static Stream<Arguments> emptyBodiesOnEveryEndpoint() {
        return Stream.of(BodyEndpoint.values()).flatMap(endpoint -> Stream.of("", "   ", "null")
                .map(body -> argumentSet(endpoint + ", '" + body + "'", endpoint, body)));
    }

    /** JSON null is no value: the same as no body, which chats take and the others require. */
    @ParameterizedTest
    @MethodSource("emptyBodiesOnEveryEndpoint")
    void shouldTakeAnEmptyBlankOrNullBodyAsNoBody(BodyEndpoint endpoint, String body) throws Exception {
        String token = fixture();
        Stored before = stored(token);

        ValidatableResponse response = given().contentType("application/json").body(body)
                .when().request(endpoint.method, endpoint.path(token))
                .then();

        if (endpoint == BodyEndpoint.CREATE_CHAT) {
            response.statusCode(201).body("number", equalTo(2));
        } else {
            assertProblem(response, 400);
            response.body("errors[0].message", equalTo("a JSON request body is required"));
            assertNothingStored(token, before);
        }
    }

    // ---- Wrong types, missing, blank, too long and ill-formed text -----------------------------

    /** A field's value as JSON, made for one endpoint (the longest value each field takes differs). */
    private record FieldValue(String description, Function<BodyEndpoint, String> json) {

        static FieldValue of(String description, String json) {
            return new FieldValue(description, endpoint -> json);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<FieldValue> badFields() {
        return Stream.of(
                FieldValue.of("a number", "42"),
                FieldValue.of("a decimal", "4.2"),
                FieldValue.of("a number past double", "1e400"),
                FieldValue.of("true", "true"),
                FieldValue.of("false", "false"),
                FieldValue.of("null", "null"),
                FieldValue.of("an array", "[\"Hello\"]"),
                FieldValue.of("an object", "{\"text\": \"Hello\"}"),
                FieldValue.of("10,000 nested arrays", "[".repeat(10_000) + "]".repeat(10_000)),
                FieldValue.of("an empty string", "\"\""),
                FieldValue.of("only spaces", "\"   \""),
                FieldValue.of("only line breaks and tabs", "\"\\n\\r\\t\""),
                FieldValue.of("a lone high surrogate", "\"\\ud800\""),
                FieldValue.of("a lone low surrogate", "\"a\\udc00b\""),
                FieldValue.of("a surrogate pair reversed", "\"\\ude80\\ud83d\""),
                FieldValue.of("a high surrogate at the end", "\"Hello \\ud83d\""),
                new FieldValue("one character too long", endpoint -> "\"" + "x".repeat(endpoint.maxLength + 1) + "\""),
                new FieldValue("one character too long, in emoji", endpoint -> "\"" + "🚀".repeat(endpoint.maxLength + 1) + "\""),
                FieldValue.of("just under 1 MiB", "\"" + "x".repeat(MEBIBYTE - 20) + "\""));
    }

    @ParameterizedTest
    @MethodSource("badFields")
    void shouldRefuseABadFieldWith400NamingItOnEveryEndpointAndStoreNothing(FieldValue value) throws Exception {
        String token = fixture();
        Stored before = stored(token);

        assertAll(Stream.of(BodyEndpoint.values()).filter(endpoint -> endpoint.field != null).map(endpoint -> () -> {
            ValidatableResponse response = given().contentType("application/json")
                    .body(utf8("{\"" + endpoint.field + "\": " + value.json().apply(endpoint) + "}"))
                    .when().request(endpoint.method, endpoint.path(token))
                    .then();
            assertProblem(response, 400);
            response.body("errors.field", contains(endpoint.field));
            assertEquals(before, stored(token), endpoint + " stored something");
        }));
        assertNextNumbers(token);
    }

    @ParameterizedTest
    @EnumSource(value = BodyEndpoint.class, names = "CREATE_CHAT", mode = EnumSource.Mode.EXCLUDE)
    void shouldRefuseABodyWithoutItsFieldWith400(BodyEndpoint endpoint) throws Exception {
        String token = fixture();
        Stored before = stored(token);

        for (String body : new String[] {"{}", "{\"other\": \"Hello\"}"}) {
            ValidatableResponse response = given().contentType("application/json").body(body)
                    .when().request(endpoint.method, endpoint.path(token))
                    .then();
            assertProblem(response, 400);
            response.body("errors.field", contains(endpoint.field))
                    .body("errors[0].message", equalTo("must not be blank"));
        }
        assertNothingStored(token, before);
    }

    // ---- Unknown fields ------------------------------------------------------------------------

    /** Unknown fields are ignored, and no field the server owns (token, number, timestamps) is taken from a client. */
    @ParameterizedTest
    @EnumSource(BodyEndpoint.class)
    void shouldIgnoreUnknownAndServerOwnedFields(BodyEndpoint endpoint) {
        String token = fixture();
        String owned = "\"token\": \"AAAAAAAAAAAAAAAAAAAAAA\", \"id\": 7, \"number\": 99, \"chat_number\": 9, "
                + "\"chats_count\": 99, \"messages_count\": 99, \"created_at\": \"2000-01-01T00:00:00.000Z\", "
                + "\"extra\": {\"nested\": [1, {\"deeper\": null}]}";
        String body = endpoint.field == null ? "{" + owned + "}" : endpoint.body("{\"FIELD\": \"Hello\", " + owned + "}");

        JsonPath answer = given().contentType("application/json").body(body)
                .when().request(endpoint.method, endpoint.path(token))
                .then().statusCode(endpoint.success)
                .body("keySet()", not(hasItem("extra")))
                .body("keySet()", not(hasItem("id")))
                .body("created_at", not(equalTo("2000-01-01T00:00:00.000Z")))
                .extract().jsonPath();

        switch (endpoint) {
            case CREATE_APPLICATION, RENAME_APPLICATION -> {
                assertNotEquals("AAAAAAAAAAAAAAAAAAAAAA", answer.getString("token"));
                assertEquals(endpoint == BodyEndpoint.CREATE_APPLICATION ? 0 : 1, answer.getInt("chats_count"));
            }
            case CREATE_CHAT -> assertEquals(List.of(2, 0), List.of(answer.getInt("number"), answer.getInt("messages_count")));
            case POST_MESSAGE -> assertEquals(List.of(2, 1), List.of(answer.getInt("number"), answer.getInt("chat_number")));
            case EDIT_MESSAGE -> assertEquals(List.of(1, 1), List.of(answer.getInt("number"), answer.getInt("chat_number")));
        }
    }

    // ---- Sizes ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(BodyEndpoint.class)
    void shouldAcceptABodyOfExactlyOneMebibyte(BodyEndpoint endpoint) throws Exception {
        String token = fixture();
        byte[] body = padded(endpoint.validBody(), MEBIBYTE);

        given().contentType("application/json").body(body)
                .when().request(endpoint.method, endpoint.path(token))
                .then().statusCode(endpoint.success);
        RawHttp.Answer chunked = raw().sendChunked(endpoint.method, endpoint.path(token), List.of("Content-Type: application/json"), body);
        assertEquals(endpoint.success, chunked.status(), chunked.body());
    }

    @ParameterizedTest
    @EnumSource(BodyEndpoint.class)
    void shouldRefuseABodyOverOneMebibyteWith413AndStoreNothing(BodyEndpoint endpoint) throws Exception {
        String token = fixture();
        Stored before = stored(token);
        byte[] body = padded(endpoint.validBody(), MEBIBYTE + 1);

        assertProblem(given().contentType("application/json").body(body)
                .when().request(endpoint.method, endpoint.path(token))
                .then(), 413);
        assertNothingStored(token, before);
    }

    @ParameterizedTest
    @EnumSource(BodyEndpoint.class)
    void shouldRefuseAChunkedBodyOverOneMebibyteWith413AndStoreNothing(BodyEndpoint endpoint) throws Exception {
        String token = fixture();
        Stored before = stored(token);

        RawHttp.Answer answer = raw().sendChunked(endpoint.method, endpoint.path(token), List.of("Content-Type: application/json"),
                padded(endpoint.validBody(), 2 * MEBIBYTE));

        assertProblem(answer, 413);
        assertNothingStored(token, before);
    }

    // ---- Content-Type and Content-Encoding ------------------------------------------------------

    static Stream<Arguments> unsupportedBodyHeaders() {
        return Stream.of(
                argumentSet("text/plain", List.of("Content-Type: text/plain")),
                argumentSet("a form", List.of("Content-Type: application/x-www-form-urlencoded")),
                argumentSet("XML", List.of("Content-Type: application/xml")),
                argumentSet("multipart", List.of("Content-Type: multipart/form-data; boundary=x")),
                argumentSet("octet-stream", List.of("Content-Type: application/octet-stream")),
                argumentSet("problem+json", List.of("Content-Type: application/problem+json")),
                argumentSet("no Content-Type", List.of()),
                argumentSet("an empty Content-Type", List.of("Content-Type: ")),
                argumentSet("a Content-Type that is no media type", List.of("Content-Type: garbage")),
                argumentSet("a Content-Type of a slash", List.of("Content-Type: /")),
                argumentSet("*/*", List.of("Content-Type: */*")),
                argumentSet("application/*", List.of("Content-Type: application/*")),
                argumentSet("two media types in one header", List.of("Content-Type: application/json, text/plain")),
                argumentSet("JSON, then text", List.of("Content-Type: application/json", "Content-Type: text/plain")),
                argumentSet("text, then JSON", List.of("Content-Type: text/plain", "Content-Type: application/json")),
                argumentSet("gzip", List.of("Content-Type: application/json", "Content-Encoding: gzip")),
                argumentSet("br", List.of("Content-Type: application/json", "Content-Encoding: br")));
    }

    @ParameterizedTest
    @MethodSource("unsupportedBodyHeaders")
    void shouldRefuseABodyNotDeclaredAsPlainJsonWith415OnEveryEndpointAndStoreNothing(List<String> headers) throws Exception {
        String token = fixture();
        Stored before = stored(token);

        assertAll(Stream.of(BodyEndpoint.values()).map(endpoint -> () -> {
            byte[] body = headers.contains("Content-Encoding: gzip") ? gzip(endpoint.validBody()) : utf8(endpoint.validBody());
            assertProblem(raw().send(endpoint.method, endpoint.path(token), headers, body), 415);
            assertEquals(before, stored(token), endpoint + " stored something");
        }));
        assertNextNumbers(token);
    }

    /** Media types are case-insensitive, and JSON has no charset parameter (RFC 8259): it is ignored, the body is UTF-8. */
    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
            "APPLICATION/JSON", "application/json; charset=iso-8859-1"})
    void shouldAcceptEveryWayOfSayingJson(String contentType) throws Exception {
        String token = fixture();
        for (BodyEndpoint endpoint : BodyEndpoint.values()) {
            RawHttp.Answer answer = raw().send(endpoint.method, endpoint.path(token), List.of("Content-Type: " + contentType),
                    utf8(endpoint.body("{\"FIELD\": \"Grüße\"}")));
            assertEquals(endpoint.success, answer.status(), endpoint + ": " + answer.body());
            if (endpoint.field != null) {
                assertEquals("Grüße", answer.json().getString(endpoint.field), endpoint.toString());
            }
        }
    }

    /** GET and DELETE take no body: one sent anyway is not read. */
    @Test
    void shouldIgnoreABodyOnGetAndDelete() {
        String token = fixture();

        given().contentType("application/json").body("{").when().get("/applications/{token}", token)
                .then().statusCode(200).body("name", equalTo("Support desk"));
        given().contentType("text/plain").body("not json").when().get("/applications/{token}/chats", token)
                .then().statusCode(200).body("data.number", contains(1));
        given().contentType("application/json").body("[").when().delete("/applications/{token}/chats/1", token)
                .then().statusCode(204);
        given().when().get("/applications/{token}/chats/1", token).then().statusCode(404);
    }

    // ---- Unicode that is accepted comes back exactly -------------------------------------------

    private static final List<String> TEXTS = List.of(
            "Support 🚀",
            "👩‍👩‍👧‍👦 family",
            "Cafe\u0301 (combining accent, not normalized)",
            "Café (precomposed)",
            "תמיכה טכנית",
            "دعم فني",
            "\u202Eksed troppuS",
            "Support תמיכה 123 دعم",
            "NUL\u0000inside",
            "\u0000",
            "bell\u0007and\u001Bescape",
            "zero\u200Bwidth\uFEFFand BOM",
            "noncharacter \uFFFF and \uFDD0",
            "支援デスク",
            "Robert'); DROP TABLE applications;--",
            "<script>alert(1)</script>",
            "%s %n %d {0} ${x}",
            "back\\slash \"quoted\" /slash",
            "🚀".repeat(255),
            "🚀".repeat(127) + "x");

    @ParameterizedTest
    @MethodSource("texts")
    void shouldKeepAnAcceptedNameExactlyAsSent(String name) throws Exception {
        String token = given().contentType("application/json").body(json("name", name))
                .when().post("/applications")
                .then().statusCode(201).body("name", equalTo(name))
                .extract().path("token");
        given().when().get("/applications/{token}", token).then().statusCode(200).body("name", equalTo(name));

        String renamed = name.codePointCount(0, name.length()) > 200 ? name.substring(2) : "Renamed " + name;
        given().contentType("application/json").body(json("name", renamed))
                .when().put("/applications/{token}", token)
                .then().statusCode(200).body("name", equalTo(renamed));
        given().when().get("/applications/{token}", token).then().statusCode(200).body("name", equalTo(renamed));
    }

    /** Without a worker here, a body's round trip is its 202 echo; the worker module's tests carry it to MySQL. */
    @ParameterizedTest
    @MethodSource("messageBodies")
    void shouldEchoAnAcceptedMessageBodyExactlyAsSent(String body) throws Exception {
        String token = fixture();

        given().contentType("application/json").body(json("body", body))
                .when().post("/applications/{token}/chats/1/messages", token)
                .then().statusCode(202).body("number", equalTo(2)).body("body", equalTo(body));
        given().contentType("application/json").body(json("body", body))
                .when().put("/applications/{token}/chats/1/messages/1", token)
                .then().statusCode(202).body("body", equalTo(body));
    }

    static Stream<String> texts() {
        return TEXTS.stream();
    }

    static Stream<String> messageBodies() {
        return Stream.concat(TEXTS.stream(), Stream.of("  not trimmed  ", "line 1\nline 2\r\n\ttabbed",
                "x".repeat(10_000), "🚀".repeat(10_000), "é".repeat(10_000)));
    }

    // ---- Query strings -------------------------------------------------------------------------

    /** The endpoints that take page parameters; search also needs its q. */
    enum ListEndpoint {
        CHATS("/applications/{token}/chats?", true),
        MESSAGES("/applications/{token}/chats/1/messages?", true),
        SEARCH("/applications/{token}/chats/1/messages/search?q=hello&", false);

        final String path;
        final boolean ordered;

        ListEndpoint(String path, boolean ordered) {
            this.path = path;
            this.ordered = ordered;
        }
    }

    /** A bad query string and the parameter it is bad in; order applies to lists, q to search. */
    static Stream<Arguments> badQueries() {
        String deepCursor = Base64.getUrlEncoder().withoutPadding().encodeToString(utf8("[".repeat(1_500)));
        return Stream.of(
                        "limit=0", "limit=201", "limit=-1", "limit=2147483648", "limit=99999999999999999999", "limit=1e2",
                        "limit=1.5", "limit=0x10", "limit=%201", "limit=%2B1", "limit=%D9%A3", "limit=%EF%BC%93",
                        "limit=1%3BDROP%20TABLE%20chats", "limit=1;DROP%20TABLE%20chats", "limit=1&limit=2",
                        "cursor=%27%20OR%201%3D1%20--", "cursor=*", "cursor=" + deepCursor, "cursor=e30&cursor=e30",
                        "order=asc%27", "order=ASC", "order=asc%00", "order=asc%27%20--", "order=asc;",
                        "order=asc&order=desc", "order=asc&order=asc",
                        "q=a&q=b", "q=" + "x".repeat(201), "q=%20%09")
                .map(query -> argumentSet(abbreviated(query), query, query.substring(0, query.indexOf('='))));
    }

    @ParameterizedTest
    @MethodSource("badQueries")
    void shouldRefuseABadQueryParameterWith400NamingIt(String query, String field) {
        String token = fixture();

        assertAll(Stream.of(ListEndpoint.values())
                .filter(endpoint -> field.equals("order") ? endpoint.ordered : !field.equals("q") || !endpoint.ordered)
                .map(endpoint -> () -> {
                    String path = endpoint.path.replace("{token}", token);
                    // search takes its own q; a case about q replaces it
                    String target = field.equals("q") ? path.replace("q=hello&", "") + query : path + query;
                    ValidatableResponse response = given().urlEncodingEnabled(false).when().get(target).then();
                    assertProblem(response, 400);
                    response.body("errors.field", contains(field));
                }));
        given().when().get("/applications/{token}/chats", token).then().statusCode(200).body("data.number", contains(1));
    }

    /** An empty value is a parameter left out; a parameter no endpoint takes is ignored. */
    @Test
    void shouldTakeAnEmptyQueryParameterAsLeftOutAndIgnoreUnknownOnes() {
        String token = fixture();
        createChat(token);

        given().urlEncodingEnabled(false).when().get("/applications/" + token + "/chats?limit=&order=&cursor=&unknown=x")
                .then().statusCode(200).body("data.number", contains(1, 2)).body("next_cursor", nullValue());
        given().urlEncodingEnabled(false).when().get("/applications/" + token + "/chats?limit=1&unknown=x&other=y")
                .then().statusCode(200).body("data.number", contains(1)).body("next_cursor", not(emptyOrNullString()));
    }

    /** Query text is data: SQL, and search-engine or LIKE syntax, find only messages that contain it literally. */
    @Test
    void shouldSearchForSqlAndQuerySyntaxAsPlainText() throws Exception {
        String token = fixture();
        SearchDocuments documents = new SearchDocuments(searchClient, database);
        String[] bodies = {"100% sure", "snake_case name", "it's fine", "plain words", "a*b and c?d"};
        for (int i = 0; i < bodies.length; i++) {
            documents.index(token, 1, i + 1, bodies[i]);
        }
        Map<String, List<Integer>> expectations = Map.ofEntries(
                Map.entry("%", List.of(1)), Map.entry("_", List.of(2)), Map.entry("'", List.of(3)),
                Map.entry("*", List.of(5)), Map.entry("?", List.of(5)), Map.entry("or", List.of(4)),
                Map.entry("' OR 1=1 --", List.of()), Map.entry("' OR '1'='1", List.of()), Map.entry("\" OR \"\"=\"", List.of()),
                Map.entry("plain OR nothing", List.of()), Map.entry("-sure", List.of()), Map.entry("s?re", List.of()),
                Map.entry("sn*e", List.of()), Map.entry("sure~", List.of()), Map.entry("1; DROP TABLE messages", List.of()),
                Map.entry("name:*", List.of()), Map.entry("\u0000", List.of()), Map.entry("\\", List.of()));

        expectations.forEach((q, numbers) -> given().queryParam("q", q)
                .when().get("/applications/{token}/chats/1/messages/search", token)
                .then().statusCode(200).body("data.number", equalTo(numbers)));
    }

    // ---- Paths ---------------------------------------------------------------------------------

    /** Every endpoint with a number in its path; N stands for the number under test, and bodies are valid. */
    private static final List<String[]> NUMBERED = List.of(
            new String[] {"GET", "/chats/N", null}, new String[] {"DELETE", "/chats/N", null},
            new String[] {"GET", "/chats/N/messages", null}, new String[] {"POST", "/chats/N/messages", "{\"body\": \"Hello\"}"},
            new String[] {"GET", "/chats/N/messages/search?q=hello", null},
            new String[] {"GET", "/chats/N/messages/1", null}, new String[] {"GET", "/chats/1/messages/N", null},
            new String[] {"PUT", "/chats/N/messages/1", "{\"body\": \"Hello\"}"}, new String[] {"PUT", "/chats/1/messages/N", "{\"body\": \"Hello\"}"},
            new String[] {"DELETE", "/chats/N/messages/1", null}, new String[] {"DELETE", "/chats/1/messages/N", null});

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "01", "%2B1", "1e0", "1.0", "0x1", "1_000", "2147483647", "2147483648",
            "9999999999999999999", "%D9%A1", "%EF%BC%91", "%00", "%201", "%27%20OR%201%3D1"})
    void shouldAnswer404WhenANumberInThePathIsNotThatOfAChatOrMessage(String number) throws Exception {
        String token = fixture();
        Stored before = stored(token);

        assertAll(NUMBERED.stream().map(endpoint -> () -> {
            var request = given().urlEncodingEnabled(false);
            if (endpoint[2] != null) {
                request.contentType("application/json").body(endpoint[2]);
            }
            String path = "/applications/" + token + endpoint[1].replace("N", number);
            assertProblem(request.when().request(endpoint[0], path).then(), 404);
            assertEquals(before, stored(token), endpoint[0] + " " + path + " stored something");
        }));
        assertNextNumbers(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AAAAAAAAAAAAAAAAAAAAAA", "%27%20OR%20%271%27%3D%271", "*", "%00", "..%2F..",
            "AAAAAAAAAAAAAAAAAAAAAAA", "%F0%9F%9A%80%F0%9F%9A%80%F0%9F%9A%80%F0%9F%9A%80%F0%9F%9A%80%F0%9F%9A%80"})
    void shouldAnswer404WhenTheTokenInThePathNamesNoApplication(String token) {
        String[][] endpoints = {{"GET", ""}, {"PUT", "", "{\"name\": \"Hello\"}"}, {"DELETE", ""}, {"POST", "/chats"},
                {"GET", "/chats"}, {"GET", "/chats/1"}, {"DELETE", "/chats/1"}, {"GET", "/chats/1/messages"},
                {"POST", "/chats/1/messages", "{\"body\": \"Hello\"}"}, {"GET", "/chats/1/messages/search?q=hello"},
                {"GET", "/chats/1/messages/1"}, {"PUT", "/chats/1/messages/1", "{\"body\": \"Hello\"}"},
                {"DELETE", "/chats/1/messages/1"}};

        assertAll(Stream.of(endpoints).map(endpoint -> () -> {
            var request = given().urlEncodingEnabled(false);
            if (endpoint.length > 2) {
                request.contentType("application/json").body(endpoint[2]);
            }
            assertProblem(request.when().request(endpoint[0], "/applications/" + token + endpoint[1]).then(), 404);
        }));
    }

    /** Vert.x refuses a malformed percent escape before any route runs, so the app cannot word it: a bare 400. */
    @ParameterizedTest
    @ValueSource(strings = {"/chats?limit=%", "/chats?order=%zz", "/chats/1/messages/search?q=%", "/chats/1/messages/search?q=%E", "/chats/%zz"})
    void shouldRefuseAMalformedPercentEscapeWithABare400(String path) throws Exception {
        String token = fixture();

        RawHttp.Answer answer = raw().send("GET", "/applications/" + token + path, List.of(), null);

        assertEquals(400, answer.status());
        assertEquals("", answer.body());
        given().when().get("/applications/{token}/chats/1", token).then().statusCode(200);
    }

    // ---- Headers -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"/chats", "/chats/1/messages"})
    void shouldRefuseTwoIdempotencyKeysWith400AndStoreNothing(String path) throws Exception {
        String token = fixture();
        Stored before = stored(token);

        assertProblem(given().contentType("application/json").body(path.endsWith("messages") ? "{\"body\": \"Hello\"}" : "{}")
                .header("Idempotency-Key", "first").header("Idempotency-Key", "second")
                .when().post("/applications/" + token + path)
                .then(), 400);
        assertNothingStored(token, before);
    }

    static Stream<Arguments> badIdempotencyKeys() {
        return Stream.of(
                argumentSet("empty", ""),
                argumentSet("256 characters", "k".repeat(256)),
                argumentSet("not ASCII", new String(utf8("clé"), StandardCharsets.ISO_8859_1)),
                argumentSet("a tab", "a\tb"));
    }

    @ParameterizedTest
    @MethodSource("badIdempotencyKeys")
    void shouldRefuseAnIdempotencyKeyThatIsNotOneToTwoHundredFiftyFivePrintableAsciiCharacters(String key) throws Exception {
        String token = fixture();
        Stored before = stored(token);

        assertAll(Stream.of("/chats", "/chats/1/messages").map(path -> () -> {
            byte[] body = utf8(path.endsWith("messages") ? "{\"body\": \"Hello\"}" : "{}");
            RawHttp.Answer answer = raw().send("POST", "/applications/" + token + path,
                    List.of("Content-Type: application/json", "Idempotency-Key: " + key), body);
            assertProblem(answer, 400);
            assertEquals("Idempotency-Key", answer.json().getString("errors[0].field"));
            assertEquals(before, stored(token), path + " stored something");
        }));
        assertNextNumbers(token);
    }

    /**
     * Vert.x refuses these before any route runs, with a bare status: 431 for headers over 40 KiB, 414
     * for a request line over 16 KiB, 400 for a control character in a header. Its limits are looser
     * than NGINX's, so that in front of it NGINX refuses oversized requests first, as problem+json
     * (FrontDoorIT).
     */
    @Test
    void shouldRefuseOversizedHeadersLongRequestLinesAndControlCharactersBeforeRouting() throws Exception {
        String token = fixture();

        RawHttp.Answer header = raw().send("GET", "/applications/" + token, List.of("X-Padding: " + "a".repeat(40 * 1024)), null);
        RawHttp.Answer line = raw().send("GET", "/applications/" + token + "/chats?x=" + "a".repeat(17_000), List.of(), null);
        RawHttp.Answer underLimits = raw().send("GET", "/applications/" + token + "/chats?x=" + "a".repeat(8_000),
                List.of("X-Padding: " + "a".repeat(30 * 1024)), null);
        RawHttp.Answer control = raw().send("POST", "/applications/" + token + "/chats", List.of("Idempotency-Key: a\u0001b"), null);

        assertEquals(List.of(431, ""), List.of(header.status(), header.body()));
        assertEquals(List.of(414, ""), List.of(line.status(), line.body()));
        assertEquals(List.of(400, ""), List.of(control.status(), control.body()));
        assertEquals(200, underLimits.status(), "what NGINX lets through must reach the API");
        given().when().get("/applications/{token}", token).then().statusCode(200);
        assertEquals(2, createChat(token));
    }

    // ---- Helpers -------------------------------------------------------------------------------

    private static final List<String> LEAKS = List.of("Exception", "java.", "io.chat", "com.fasterxml", "jakarta.",
            "SQL", "line:", "Source:");

    private static void assertProblem(ValidatableResponse response, int status) {
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("type", startsWith("https://chat.example/problems/"))
                .body("title", not(emptyOrNullString()))
                .body("status", equalTo(status))
                .body("detail", not(emptyOrNullString()));
        assertLeaksNothing(response.extract().asString());
    }

    private static void assertProblem(RawHttp.Answer answer, int status) {
        assertEquals(status, answer.status(), answer.body());
        assertThat(answer.header("Content-Type"), startsWith("application/problem+json"));
        JsonPath problem = answer.json();
        assertThat(problem.getString("type"), startsWith("https://chat.example/problems/"));
        assertThat(problem.getString("title"), not(emptyOrNullString()));
        assertEquals(status, problem.getInt("status"));
        assertThat(problem.getString("detail"), not(emptyOrNullString()));
        assertLeaksNothing(answer.body());
    }

    private static void assertLeaksNothing(String body) {
        for (String leak : LEAKS) {
            assertThat(body, not(containsString(leak)));
        }
    }

    /** What the database holds for an application and its chat 1, plus how many applications exist. */
    private record Stored(long applications, String name, String updatedAt, int lastChatNumber, int chatsCount,
            int lastMessageNumber, long lastVersion) {
    }

    private Stored stored(String token) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement select = connection.prepareStatement("""
                SELECT (SELECT COUNT(*) FROM applications), a.name, a.updated_at, a.last_chat_number, a.chats_count,
                       c.last_message_number, c.last_version
                FROM applications a JOIN chats c ON c.application_id = a.id AND c.number = 1
                WHERE a.token_hash = UNHEX(SHA2(?, 256))""")) {
            select.setString(1, token);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return new Stored(row.getLong(1), row.getString(2), row.getString(3), row.getInt(4), row.getInt(5),
                        row.getInt(6), row.getLong(7));
            }
        }
    }

    /** Nothing changed in the database, and the next chat and message get the numbers they would have got. */
    private void assertNothingStored(String token, Stored before) throws SQLException {
        assertEquals(before, stored(token), "what the database holds");
        assertNextNumbers(token);
    }

    /** Chat 1 and message 1 of the fixture are the last that took a number. */
    private static void assertNextNumbers(String token) {
        assertEquals(2, createChat(token), "the next chat's number");
        assertEquals(2, postMessage(token, 1, "next"), "the next message's number");
    }

    /** A client that goes away in the middle of its body is routine: nothing at ERROR (the listener after each test checks). */
    @Test
    void shouldLogNothingAtErrorWhenAClientClosesInTheMiddleOfItsBody() throws Exception {
        String token = createApplication();
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.getOutputStream().write(("POST /applications/" + token + "/chats HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // Until the request is being handled: its body reader waits for the rest.
            await().atMost(Duration.ofSeconds(10)).until(() -> activeRequests() > 0);
        }
        // Long enough for the server to fail reading the body, and log if it does.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> ERRORS.peek().isEmpty());
    }

    /** The requests the server is handling now (Micrometer's gauge, which leaves out /q/metrics itself). */
    private static double activeRequests() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("http_server_active_requests"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private RawHttp raw() {
        return new RawHttp(server);
    }

    /** {@code json} with spaces before its closing brace, {@code size} bytes in all. */
    private static byte[] padded(String json, int size) {
        String open = json.substring(0, json.length() - 1);
        return utf8(open + " ".repeat(size - utf8(json).length) + "}");
    }

    private static byte[] json(String field, String value) throws IOException {
        return JSON.writeValueAsBytes(Map.of(field, value));
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(utf8(text));
        }
        return bytes.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 30) + "…(" + text.length() + " chars)";
    }
}
