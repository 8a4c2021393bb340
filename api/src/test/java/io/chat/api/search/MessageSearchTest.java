package io.chat.api.search;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.chat.common.search.SearchNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The search endpoint against a real OpenSearch node. */
@QuarkusTest
@QuarkusTestResource(SearchNode.class)
class MessageSearchTest {

    @Inject
    RestClient client;

    @Inject
    AgroalDataSource dataSource;

    private SearchDocuments documents;
    private String token;

    @BeforeEach
    void setUp() throws Exception {
        documents = new SearchDocuments(client, dataSource);
        token = createApplication();
        createChat(token);
    }

    @Test
    void shouldFindPartsOfWordsIgnoringCase() throws Exception {
        index(token, 1, 1, "Hello world");
        index(token, 1, 2, "Goodbye");

        for (String q : new String[] {"ell", "HEL", "hello", "orl", "o w"}) {
            given().queryParam("q", q).when().get("/applications/{token}/chats/1/messages/search", token)
                    .then().statusCode(200).body("data.number", contains(1));
        }
        given().queryParam("q", "xyz").when().get("/applications/{token}/chats/1/messages/search", token)
                .then().statusCode(200).body("data", equalTo(List.of())).body("next_cursor", nullValue());
    }

    @Test
    void shouldRequireEveryWordOfTheQuery() throws Exception {
        index(token, 1, 1, "hello world");
        index(token, 1, 2, "hello there");
        index(token, 1, 3, "brave new world");

        given().queryParam("q", "wor hel").when().get("/applications/{token}/chats/1/messages/search", token)
                .then().statusCode(200).body("data.number", contains(1))
                .body("data[0].body", equalTo("hello world"))
                .body("data[0].chat_number", equalTo(1));
    }

    @Test
    void shouldSearchOnlyThatChatOfThatApplication() throws Exception {
        createChat(token);
        String other = createApplication();
        createChat(other);
        index(token, 1, 1, "shared words");
        index(token, 2, 1, "shared words");
        index(other, 1, 1, "shared words");

        given().queryParam("q", "shared").when().get("/applications/{token}/chats/2/messages/search", token)
                .then().statusCode(200).body("data.number", contains(1)).body("data[0].chat_number", equalTo(2));
        given().queryParam("q", "shared").when().get("/applications/{token}/chats/1/messages/search", other)
                .then().statusCode(200).body("data.number", contains(1));
        given().queryParam("q", "shared").when().get("/applications/{token}/chats/3/messages/search", token)
                .then().statusCode(404);
    }

    @Test
    void shouldRankWholeWordsFirstThenNewest() throws Exception {
        index(token, 1, 1, "hello");
        index(token, 1, 2, "othello");
        index(token, 1, 3, "say hello");
        index(token, 1, 4, "othellos");

        given().queryParam("q", "hello").when().get("/applications/{token}/chats/1/messages/search", token)
                .then().statusCode(200)
                // whole-word matches (1, 3) rank above the substring-only ones (4, 2), newest first in a tie
                .body("data.number", org.hamcrest.Matchers.anyOf(contains(3, 1, 4, 2), contains(1, 3, 4, 2)));
    }

    @Test
    void shouldTreatQuerySyntaxAsPlainText() throws Exception {
        String[] bodies = {"a*b", "what? yes", "say \"hi\"", "back\\slash", "{json: [1]}", "(x) AND y OR z", "path/to:file"};
        for (int i = 0; i < bodies.length; i++) {
            index(token, 1, i + 1, bodies[i]);
        }
        index(token, 1, 100, "ab plain");
        index(token, 1, 101, "backXslash");

        String[][] expectations = {{"a*b", "1"}, {"?", "2"}, {"\"hi\"", "3"}, {"\\", "4"}, {"{json:", "5"}, {"[1]}", "5"},
                {"(x)", "6"}, {"AND", "6"}, {"OR z", "6"}, {"/to:", "7"}, {"*", "1"}, {"k\\s", "4"}};
        for (String[] expectation : expectations) {
            given().queryParam("q", expectation[0]).when().get("/applications/{token}/chats/1/messages/search", token)
                    .then().statusCode(200).body("data.number", contains(Integer.parseInt(expectation[1])));
        }
    }

    @Test
    void shouldWalkSearchResultsWithCursorsWithoutRepeats() throws Exception {
        for (int number = 1; number <= 7; number++) {
            index(token, 1, number, "page item " + number);
        }
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("q", "item").queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.when().get("/applications/{token}/chats/1/messages/search", token).then().statusCode(200).extract();
            seen.addAll(page.path("data.number"));
            cursor = page.path("next_cursor");
        } while (cursor != null && seen.size() < 20);

        assertEquals(List.of(7, 6, 5, 4, 3, 2, 1), seen);
    }

    @Test
    void shouldRejectBadQueries() {
        for (String q : new String[] {"", "   ", "x".repeat(201), "🚀".repeat(201)}) {
            given().queryParam("q", q).when().get("/applications/{token}/chats/1/messages/search", token)
                    .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("q"));
        }
        given().when().get("/applications/{token}/chats/1/messages/search", token)
                .then().statusCode(400).body("errors[0].field", equalTo("q"));
        given().queryParam("q", "x").queryParam("limit", 0).when().get("/applications/{token}/chats/1/messages/search", token)
                .then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().queryParam("q", "x").queryParam("cursor", "nope").when().get("/applications/{token}/chats/1/messages/search", token)
                .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        given().queryParam("q", "x".repeat(200)).when().get("/applications/{token}/chats/1/messages/search", token)
                .then().statusCode(200);
        // Characters are code points: 200 emoji are 400 UTF-16 units, and a q of 200 characters.
        given().queryParam("q", "🚀".repeat(200)).when().get("/applications/{token}/chats/1/messages/search", token)
                .then().statusCode(200);
    }

    /** A cursor whose score is no number a search gave, or a negative one, was never issued. */
    @ParameterizedTest
    @ValueSource(strings = {"{\"score\":\"NaN\",\"after\":1}", "{\"score\":\"Infinity\",\"after\":1}",
            "{\"score\":-1.0,\"after\":1}", "{\"score\":1.0,\"after\":0}", "{\"score\":1.0,\"after\":1,\"after\":2}"})
    void shouldRefuseAForgedCursor(String position) {
        String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
        given().queryParam("q", "x").queryParam("cursor", cursor).urlEncodingEnabled(true)
                .when().get("/applications/{token}/chats/1/messages/search", token)
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void shouldAnswer503WhileTheSearchNodeIsDown() throws Exception {
        SearchNode.running().pause();
        try {
            given().queryParam("q", "hello").when().get("/applications/{token}/chats/1/messages/search", token)
                    .then().statusCode(503).contentType("application/problem+json").header("Retry-After", equalTo("5"));
        } finally {
            SearchNode.running().resume();
        }
        given().queryParam("q", "hello").when().get("/applications/{token}/chats/1/messages/search", token)
                .then().statusCode(200);
    }

    private void index(String application, int chatNumber, int number, String body) throws Exception {
        documents.index(application, chatNumber, number, body);
    }
}
