package io.chat.api.chat;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ChatResourceTest {

    @Test
    void shouldNumberChatsFromOneWithinEachApplication() {
        String token = createApplication();
        String other = createApplication();

        given().when().post("/applications/{token}/chats", token)
                .then().statusCode(201)
                .header("Location", "/applications/" + token + "/chats/1")
                .body("number", equalTo(1))
                .body("messages_count", equalTo(0))
                .body("keySet()", containsInAnyOrder("number", "messages_count", "created_at", "updated_at"));
        assertEquals(2, createChat(token));
        assertEquals(1, createChat(other));
    }

    @Test
    void shouldAcceptNoBodyOrAnEmptyJsonObject() {
        String token = createApplication();

        given().contentType(ContentType.JSON).body("{}")
                .when().post("/applications/{token}/chats", token)
                .then().statusCode(201).body("number", equalTo(1));
        given().contentType(ContentType.TEXT)
                .when().post("/applications/{token}/chats", token)
                .then().statusCode(201).body("number", equalTo(2));
        given().when().post("/applications/{token}/chats", token)
                .then().statusCode(201).body("number", equalTo(3));
    }

    @Test
    void shouldRejectAMalformedOrNonJsonBody() {
        String token = createApplication();

        given().contentType(ContentType.JSON).body("{")
                .when().post("/applications/{token}/chats", token)
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.TEXT).body("hello")
                .when().post("/applications/{token}/chats", token)
                .then().statusCode(415).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("[]")
                .when().post("/applications/{token}/chats", token)
                .then().statusCode(400).contentType("application/problem+json");
        given().when().get("/applications/{token}/chats", token).then().body("data", equalTo(List.of()));
    }

    @Test
    void shouldGetAChatByNumber() {
        String token = createApplication();
        createChat(token);
        createChat(token);

        given().when().get("/applications/{token}/chats/2", token)
                .then().statusCode(200)
                .body("number", equalTo(2))
                .body("created_at", matchesPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"));
        given().when().get("/applications/{token}/chats/3", token)
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void shouldAnswer404ForNumbersThatAreNotCanonicalPositiveIntegers() {
        String token = createApplication();
        createChat(token);

        for (String number : new String[] {"0", "-1", "01", "1abc", "+1", "1.0", "2147483648", "9999999999999999999", "%201"}) {
            given().urlEncodingEnabled(false).when().get("/applications/" + token + "/chats/" + number)
                    .then().statusCode(404).contentType("application/problem+json");
            given().urlEncodingEnabled(false).when().delete("/applications/" + token + "/chats/" + number)
                    .then().statusCode(404);
        }
        given().when().get("/applications/{token}/chats/1", token).then().statusCode(200);
    }

    @Test
    void shouldNeverReuseTheNumberOfADeletedChat() {
        String token = createApplication();
        createChat(token);
        createChat(token);
        createChat(token);

        given().when().delete("/applications/{token}/chats/3", token).then().statusCode(204);
        given().when().get("/applications/{token}/chats/3", token).then().statusCode(404);
        given().when().delete("/applications/{token}/chats/3", token).then().statusCode(404);
        assertEquals(4, createChat(token));

        given().when().delete("/applications/{token}/chats/2", token).then().statusCode(204);
        assertEquals(5, createChat(token));
        given().when().get("/applications/{token}/chats", token)
                .then().body("data.number", contains(1, 4, 5));
    }

    @Test
    void shouldNotLetOneApplicationSeeOrDeleteAnothersChats() {
        String token = createApplication();
        String other = createApplication();
        createChat(token);
        createChat(token);

        given().when().get("/applications/{token}/chats/2", other).then().statusCode(404);
        given().when().delete("/applications/{token}/chats/2", other).then().statusCode(404);
        given().when().get("/applications/{token}/chats", other).then().body("data", equalTo(List.of()));
        given().when().get("/applications/{token}/chats/2", token).then().statusCode(200);
    }

    @Test
    void shouldListChatsByNumberAscendingByDefault() {
        String token = createApplication();
        IntStream.range(0, 3).forEach(i -> createChat(token));

        given().when().get("/applications/{token}/chats", token)
                .then().statusCode(200)
                .body("data.number", contains(1, 2, 3))
                .body("next_cursor", nullValue());
        given().when().get("/applications/{token}/chats?order=desc", token)
                .then().body("data.number", contains(3, 2, 1));
    }

    @Test
    void shouldWalkEveryChatOnceWithCursorsWhileChatsAreAdded() {
        String token = createApplication();
        IntStream.range(0, 7).forEach(i -> createChat(token));

        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("limit", 3);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            ExtractableResponse<Response> page = request.when().get("/applications/{token}/chats", token)
                    .then().statusCode(200).extract();
            seen.addAll(page.path("data.number"));
            cursor = page.path("next_cursor");
            createChat(token); // writes go on during the walk
        } while (cursor != null && seen.size() < 50);

        assertEquals(IntStream.rangeClosed(1, seen.size()).boxed().toList(), seen);
        assertEquals(true, seen.size() >= 7);
    }

    @Test
    void shouldWalkDescendingWithCursorsAndKeepTheCursorsOrder() {
        String token = createApplication();
        IntStream.range(0, 5).forEach(i -> createChat(token));

        String cursor = given().when().get("/applications/{token}/chats?order=desc&limit=2", token)
                .then().body("data.number", contains(5, 4)).extract().path("next_cursor");
        String last = given().queryParam("cursor", cursor).when().get("/applications/{token}/chats?limit=2", token)
                .then().body("data.number", contains(3, 2)).extract().path("next_cursor");
        given().queryParam("cursor", last).when().get("/applications/{token}/chats?limit=2&order=desc", token)
                .then().body("data.number", contains(1)).body("next_cursor", nullValue());

        given().queryParam("cursor", cursor).when().get("/applications/{token}/chats?order=asc", token)
                .then().statusCode(400).body("errors[0].field", equalTo("order"));
    }

    @Test
    void shouldRejectBadPageParameters() {
        String token = createApplication();

        for (String limit : new String[] {"0", "201", "-1", "abc", "1.5", "1e2"}) {
            given().queryParam("limit", limit).when().get("/applications/{token}/chats", token)
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("limit"));
        }
        given().when().get("/applications/{token}/chats?limit=200", token).then().statusCode(200);
        given().when().get("/applications/{token}/chats?order=up", token)
                .then().statusCode(400).body("errors[0].field", equalTo("order"));
        for (String cursor : new String[] {"not-a-cursor", "eyJhZnRlciI6MH0", "e30", "!!"}) {
            given().queryParam("cursor", cursor).when().get("/applications/{token}/chats", token)
                    .then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        }
    }
}
