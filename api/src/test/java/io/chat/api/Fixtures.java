package io.chat.api;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;

/** Small factories: every test makes its own application, so none depends on another's leftovers. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String createApplication() {
        return createApplication("Support desk");
    }

    public static String createApplication(String name) {
        return given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\"}")
                .when().post("/applications")
                .then().statusCode(201)
                .extract().path("token");
    }

    public static int postMessage(String token, int chat, String body) {
        return given().contentType(ContentType.JSON).body(java.util.Map.of("body", body))
                .when().post("/applications/{token}/chats/{chat}/messages", token, chat)
                .then().statusCode(202)
                .extract().path("number");
    }

    public static int createChat(String token) {
        return given().when().post("/applications/{token}/chats", token)
                .then().statusCode(201)
                .extract().path("number");
    }
}
