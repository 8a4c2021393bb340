package io.chat.api.message;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Reads of what the worker wrote: the rows are written here the way the worker writes them. */
@QuarkusTest
class MessageReadTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldGetAPersistedMessage() throws SQLException {
        String token = createApplication();
        createChat(token);
        insert(token, 1, 1, "Hello there", true, false);

        given().when().get("/applications/{token}/chats/1/messages/1", token)
                .then().statusCode(200)
                .body("number", equalTo(1))
                .body("chat_number", equalTo(1))
                .body("body", equalTo("Hello there"))
                .body("created_at", equalTo("2026-11-22T22:34:57.123Z"))
                .body("sender", nullValue())
                .body("keySet()", containsInAnyOrder("number", "chat_number", "sender", "body", "hashtags", "created_at", "updated_at"));
    }

    @Test
    void shouldHideMessagesWhoseCreateIsNotAppliedOrThatAreDeleted() throws SQLException {
        String token = createApplication();
        createChat(token);
        insert(token, 1, 1, "visible", true, false);
        insert(token, 1, 2, "edit that overtook its create", false, false);
        insert(token, 1, 3, "", true, true);

        given().when().get("/applications/{token}/chats/1/messages/2", token).then().statusCode(404);
        given().when().get("/applications/{token}/chats/1/messages/3", token).then().statusCode(404);
        given().when().get("/applications/{token}/chats/1/messages", token)
                .then().statusCode(200).body("data.number", contains(1));
    }

    @Test
    void shouldListNewestFirstAndWalkWithCursors() throws SQLException {
        String token = createApplication();
        createChat(token);
        for (int number = 1; number <= 5; number++) {
            insert(token, 1, number, "message " + number, true, false);
        }

        String cursor = given().when().get("/applications/{token}/chats/1/messages?limit=2", token)
                .then().statusCode(200).body("data.number", contains(5, 4)).extract().path("next_cursor");
        String next = given().queryParam("cursor", cursor).when().get("/applications/{token}/chats/1/messages?limit=2", token)
                .then().body("data.number", contains(3, 2)).extract().path("next_cursor");
        given().queryParam("cursor", next).when().get("/applications/{token}/chats/1/messages?limit=2", token)
                .then().body("data.number", contains(1)).body("next_cursor", nullValue());
        given().when().get("/applications/{token}/chats/1/messages?order=asc&limit=3", token)
                .then().body("data.number", contains(1, 2, 3));
    }

    @Test
    void shouldNotShowOneChatsMessagesInAnother() throws SQLException {
        String token = createApplication();
        createChat(token);
        createChat(token);
        insert(token, 1, 1, "in chat 1", true, false);

        given().when().get("/applications/{token}/chats/2/messages/1", token).then().statusCode(404);
        given().when().get("/applications/{token}/chats/2/messages", token).then().body("data", equalTo(java.util.List.of()));
        given().when().get("/applications/{token}/chats/3/messages", token).then().statusCode(404);
    }

    private void insert(String token, int chat, int number, String body, boolean created, boolean deleted) throws SQLException {
        new WrittenMessages(dataSource).insert(token, chat, number, body, created, deleted);
    }
}
