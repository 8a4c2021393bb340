package io.chat.api.identity;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.chat.api.Fixtures.postMessage;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.chat.api.message.OperationQueue;
import io.chat.api.message.WrittenMessages;
import io.chat.common.cache.RedisKeys;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Minting user tokens, using them on the client paths, and revoking them. */
@QuarkusTest
@QuarkusTestResource(UserTokenKeysResource.class)
class UserTokensTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    UserTokens userTokens;

    @Inject
    RedisDataSource redis;

    @Test
    void shouldMintATokenThatActsForItsUserOnTheClientPaths() {
        String application = createApplication();
        createChat(application);

        JsonPath minted = given().when().post("/applications/{token}/users/{user}/tokens", application, "u1")
                .then().statusCode(201).contentType(ContentType.JSON)
                .body("user", equalTo("u1")).body("chats", nullValue())
                .extract().jsonPath();
        String token = minted.getString("token");
        long lifetime = Instant.parse(minted.getString("expires_at")).getEpochSecond() - Instant.now().getEpochSecond();
        assertTrue(Math.abs(lifetime - 86_400) < 60, "a day by default: " + lifetime);

        given().header("Authorization", "Bearer " + token).when().get("/chats/1").then().statusCode(200).body("number", equalTo(1));
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(Map.of("body", "hello from a browser"))
                .when().post("/chats/1/messages")
                .then().statusCode(202).body("number", equalTo(1)).body("sender", equalTo("u1"))
                .header("Location", equalTo("/chats/1/messages/1"));
        given().header("Authorization", "Bearer " + token).when().get("/chats/1/messages").then().statusCode(200);
        // The application's own paths see the message numbered in the same sequence.
        assertEquals(2, postMessage(application, 1, "from the server"));
    }

    @Test
    void shouldNameTheApplicationByAPublicIdAndSayTheUserChatsAndExpiry() throws Exception {
        String application = createApplication();
        String token = given().contentType(ContentType.JSON).body(Map.of("expires_in", 3600, "chats", List.of(2, 1, 2)))
                .when().post("/applications/{token}/users/{user}/tokens", application, "user@example.com")
                .then().statusCode(201).body("chats", equalTo(List.of(2, 1))).extract().path("token");

        JsonPath header = part(token, 0);
        JsonPath claims = part(token, 1);
        assertEquals("ES256", header.getString("alg"));
        assertFalse(header.getString("kid").isBlank(), "a kid, for rotations");
        assertEquals(new WrittenMessages(dataSource).publicId(application), claims.getString("app"));
        assertTrue(claims.getString("app").startsWith("app_"));
        assertFalse(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8).contains(application),
                "the application's secret token is in the claims");
        assertEquals("user@example.com", claims.getString("sub"));
        assertEquals("chat", claims.getString("iss"));
        assertEquals(3600, claims.getLong("exp") - claims.getLong("iat"));
        assertEquals(List.of(2, 1), claims.getList("chats"));
    }

    @Test
    void shouldGiveAnApplicationFromBeforeUserTokensOnePublicIdWhenManyMintAtOnce() throws Exception {
        String application = createApplication();
        createChat(application);
        try (Connection connection = dataSource.getConnection(); PreparedStatement clear = connection.prepareStatement(
                "UPDATE applications SET public_id = NULL WHERE token_hash = UNHEX(SHA2(?, 256))")) {
            clear.setString(1, application);
            assertEquals(1, clear.executeUpdate());
        }
        given().when().delete("/applications/{token}/users/{user}/tokens", application, "u0").then().statusCode(204);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> mints = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String user = "u" + i;
                mints.add(pool.submit(() -> mint(application, user, Map.of())));
            }
            List<String> tokens = new ArrayList<>();
            for (Future<String> minted : mints) {
                tokens.add(minted.get(30, TimeUnit.SECONDS));
            }
            String publicId = new WrittenMessages(dataSource).publicId(application);
            assertTrue(publicId != null && publicId.startsWith("app_"), "assigned: " + publicId);
            for (String token : tokens) {
                assertEquals(publicId, part(token, 1).getString("app"));
                given().header("Authorization", "Bearer " + token).when().get("/chats/1").then().statusCode(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldReachOnlyTheTokensChatsAndAnswer404ForTheOthers() {
        String application = createApplication();
        createChat(application);
        createChat(application);
        String token = mint(application, "u1", Map.of("chats", List.of(1)));

        given().header("Authorization", "Bearer " + token).when().get("/chats/1").then().statusCode(200);
        for (String path : new String[] {"/chats/2", "/chats/2/messages", "/chats/2/messages/1", "/chats/2/messages/search?q=x"}) {
            given().header("Authorization", "Bearer " + token).when().get(path).then().statusCode(404).contentType("application/problem+json");
        }
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(Map.of("body", "sneaking in"))
                .when().post("/chats/2/messages").then().statusCode(404);
        assertEquals(1, postMessage(application, 2, "nothing was posted to chat 2 before"));
    }

    @Test
    void shouldPostAsTheTokensUserAndRefuseAnotherSender() {
        String application = createApplication();
        createChat(application);
        String token = mint(application, "u1", Map.of());

        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(Map.of("body", "as u2", "sender", "u2"))
                .when().post("/chats/1/messages")
                .then().statusCode(403).contentType("application/problem+json").body("status", equalTo(403));
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(Map.of("body", "as u1", "sender", "u1"))
                .when().post("/chats/1/messages").then().statusCode(202).body("sender", equalTo("u1")).body("number", equalTo(1));
    }

    @Test
    void shouldLetAUserEditAndDeleteOnlyItsOwnMessages() throws Exception {
        String application = createApplication();
        createChat(application);
        WrittenMessages written = new WrittenMessages(dataSource);
        postMessage(application, 1, "by u1");
        postMessage(application, 1, "by u2");
        postMessage(application, 1, "not persisted yet");
        written.insert(application, 1, 1, "by u1", true, false, "u1");
        written.insert(application, 1, 2, "by u2", true, false, "u2");
        String token = mint(application, "u1", Map.of());

        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(Map.of("body", "edited"))
                .when().put("/chats/1/messages/1").then().statusCode(202).body("sender", equalTo("u1")).body("body", equalTo("edited"));
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(Map.of("body", "not mine"))
                .when().put("/chats/1/messages/2").then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + token).when().delete("/chats/1/messages/2").then().statusCode(403);
        // Whose message 3 is, is known once the worker persisted it.
        given().header("Authorization", "Bearer " + token).when().delete("/chats/1/messages/3").then().statusCode(404);
        given().header("Authorization", "Bearer " + token).when().delete("/chats/1/messages/1").then().statusCode(202);
        // The application itself edits any message.
        given().contentType(ContentType.JSON).body(Map.of("body", "moderated"))
                .when().put("/applications/{token}/chats/1/messages/2", application).then().statusCode(202).body("sender", equalTo("u2"));
    }

    @Test
    void shouldRevokeEveryTokenOfAUserAtOnceAndMintWorkingOnesAfter() {
        String application = createApplication();
        createChat(application);
        String first = mint(application, "u1", Map.of());
        String second = mint(application, "u1", Map.of());
        String other = mint(application, "u2", Map.of());
        given().header("Authorization", "Bearer " + first).when().get("/chats/1").then().statusCode(200);

        given().when().delete("/applications/{token}/users/{user}/tokens", application, "u1").then().statusCode(204);

        unauthorized(given().header("Authorization", "Bearer " + first).when().get("/chats/1").then());
        unauthorized(given().header("Authorization", "Bearer " + second).when().get("/chats/1").then());
        given().header("Authorization", "Bearer " + other).when().get("/chats/1").then().statusCode(200);
        given().header("Authorization", "Bearer " + mint(application, "u1", Map.of())).when().get("/chats/1").then().statusCode(200);
    }

    @Test
    void shouldDropTheRedisCopyOfARevocationThatRolledBackAndRevokeNothing() throws Exception {
        String application = createApplication();
        createChat(application);
        String token = mint(application, "u1", Map.of());
        String key = RedisKeys.userTokenGeneration(new WrittenMessages(dataSource).publicId(application), "u1");

        // A commit that fails after the generation reached Redis.
        assertThrows(QuarkusTransactionException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            assertTrue(userTokens.revoke(application, "u1"));
            assertEquals("1", redis.value(String.class).get(key), "the generation reaches Redis before the commit");
            QuarkusTransaction.setRollbackOnly();
        }));

        assertFalse(redis.key().exists(key), "the copy of a revocation that did not happen is still in Redis");
        given().header("Authorization", "Bearer " + token).when().get("/chats/1").then().statusCode(200);
    }

    @Test
    void shouldRefuseTheTokensOfADeletedApplication() {
        String application = createApplication();
        createChat(application);
        String token = mint(application, "u1", Map.of());
        given().header("Authorization", "Bearer " + token).when().get("/chats/1").then().statusCode(200);

        given().when().delete("/applications/{token}", application).then().statusCode(204);

        unauthorized(given().header("Authorization", "Bearer " + token).when().get("/chats/1").then());
        given().when().post("/applications/{token}/users/{user}/tokens", application, "u1").then().statusCode(404);
        given().when().delete("/applications/{token}/users/{user}/tokens", application, "u1").then().statusCode(404);
    }

    @Test
    void shouldAcceptATokenOfTheKeyBeforeARotation() throws Exception {
        String application = createApplication();
        createChat(application);
        String publicId = new WrittenMessages(dataSource).publicId(application);

        String previous = SignedTokens.signed(UserTokenKeysResource.PREVIOUS, publicId, "u1", 0, Instant.now().plusSeconds(600));
        String unknown = SignedTokens.signed(UserTokenKeysResource.OTHER, publicId, "u1", 0, Instant.now().plusSeconds(600));

        given().header("Authorization", "Bearer " + previous).when().get("/chats/1").then().statusCode(200);
        unauthorized(given().header("Authorization", "Bearer " + unknown).when().get("/chats/1").then());
    }

    @Test
    void shouldKeepTheUsersOfTwoApplicationsApart() {
        String first = createApplication();
        String second = createApplication();
        createChat(first);
        createChat(second);
        postMessage(second, 1, "in the second application");
        String token = mint(first, "u1", Map.of());

        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(Map.of("body", "mine"))
                .when().post("/chats/1/messages").then().statusCode(202).body("number", equalTo(1));
        assertEquals(2, postMessage(second, 1, "the second application's chat 1 was not touched"));
    }

    @Test
    void shouldScopeAnIdempotencyKeyToTheUser() {
        String application = createApplication();
        createChat(application);
        String alice = mint(application, "alice", Map.of());
        String bob = mint(application, "bob", Map.of());

        given().header("Authorization", "Bearer " + alice).header("Idempotency-Key", "k1").contentType(ContentType.JSON).body(Map.of("body", "same"))
                .when().post("/chats/1/messages").then().statusCode(202).body("number", equalTo(1)).body("sender", equalTo("alice"));
        given().header("Authorization", "Bearer " + alice).header("Idempotency-Key", "k1").contentType(ContentType.JSON).body(Map.of("body", "same"))
                .when().post("/chats/1/messages").then().statusCode(202).body("number", equalTo(1));
        // Bob's key k1 is his own: a new message, not Alice's answer.
        given().header("Authorization", "Bearer " + bob).header("Idempotency-Key", "k1").contentType(ContentType.JSON).body(Map.of("body", "same"))
                .when().post("/chats/1/messages").then().statusCode(202).body("number", equalTo(2)).body("sender", equalTo("bob"));
    }

    @Test
    void shouldCarryTheSenderThroughTheQueue() throws Exception {
        String application = createApplication();
        createChat(application);
        try (OperationQueue queue = new OperationQueue()) {
            queue.drain(); // what other tests left
            given().contentType(ContentType.JSON).body(Map.of("body", "named", "sender", "support:42"))
                    .when().post("/applications/{token}/chats/1/messages", application)
                    .then().statusCode(202).body("sender", equalTo("support:42"));
            given().contentType(ContentType.JSON).body(Map.of("body", "anonymous"))
                    .when().post("/applications/{token}/chats/1/messages", application)
                    .then().statusCode(202).body("sender", nullValue());
            List<String> senders = queue.drain().stream().map(published -> published.operation().sender()).toList();
            assertEquals(Arrays.asList("support:42", null), senders);
        }
    }

    private static String mint(String application, String user, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/applications/{token}/users/{user}/tokens", application, user)
                .then().statusCode(201).extract().path("token");
    }

    static void unauthorized(ValidatableResponse response) {
        response.statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("Bearer error=\"invalid_token\""))
                .body("type", startsWith("https://chat.example/problems/"))
                .body("status", equalTo(401));
    }

    private static JsonPath part(String jwt, int index) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8));
    }
}
