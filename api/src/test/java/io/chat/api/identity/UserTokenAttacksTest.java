package io.chat.api.identity;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.chat.api.Fixtures.postMessage;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.chat.api.message.WrittenMessages;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a user token can fail, on every client path: a 401 problem with
 * WWW-Authenticate: Bearer error="invalid_token", nothing stored, and no token in any log line.
 */
@QuarkusTest
class UserTokenAttacksTest {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    @Inject
    AgroalDataSource dataSource;

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            logged.add(message + (record.getThrown() == null ? "" : " " + record.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger("").removeHandler(capture);
    }

    /** A forged or broken token, made from a valid one of the application. */
    record Attack(String description, Function<Forgery, String> authorization) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** What an attack starts from: the application's secret token, a valid user token, its public id. */
    record Forgery(String applicationToken, String valid, String publicId) {
        String header() {
            return valid.split("\\.")[0];
        }

        String signature() {
            return valid.split("\\.")[2];
        }
    }

    static Stream<Attack> attacks() {
        return Stream.of(
                new Attack("no Authorization", forgery -> null),
                new Attack("an empty bearer", forgery -> "Bearer "),
                new Attack("not a JWT", forgery -> "Bearer not-a-jwt"),
                new Attack("another scheme", forgery -> "Basic " + Base64.getEncoder().encodeToString("u1:pw".getBytes())),
                new Attack("the application's secret token", forgery -> "Bearer " + forgery.applicationToken()),
                new Attack("a changed signature", forgery -> "Bearer " + forgery.valid().substring(0, forgery.valid().length() - 4)
                        + (forgery.valid().endsWith("AAAA") ? "BBBB" : "AAAA")),
                new Attack("alg none", forgery -> "Bearer " + encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                        + forgery.valid().split("\\.")[1] + "."),
                new Attack("claims edited without signing again", forgery -> "Bearer " + forgery.header() + "."
                        + encode(claims(forgery.publicId(), "u2", 0, Instant.now().plusSeconds(600))) + "." + forgery.signature()),
                new Attack("HS256 keyed with the verification key set", forgery -> "Bearer " + SignedTokens.hmac(forgery.publicId(), SignedTokens.jwks())),
                new Attack("HS256 keyed with the public key's X.509 DER", forgery -> "Bearer " + SignedTokens.hmac(forgery.publicId(), SignedTokens.publicKey().getEncoded())),
                new Attack("HS256 keyed with the public key's PEM", forgery -> "Bearer " + SignedTokens.hmac(forgery.publicId(), SignedTokens.pem(SignedTokens.publicKey().getEncoded()))),
                new Attack("RS256 with a key of its own and our kid", forgery -> "Bearer " + SignedTokens.rs256(forgery.publicId())),
                new Attack("no app claim", forgery -> bearer(() -> SignedTokens.signed(UserTokenKeysResource.CURRENT,
                        withoutClaim(SignedTokens.claims(forgery.publicId(), "u1"), UserTokens.APPLICATION_CLAIM)))),
                new Attack("no gen claim", forgery -> bearer(() -> SignedTokens.signed(UserTokenKeysResource.CURRENT,
                        withoutClaim(SignedTokens.claims(forgery.publicId(), "u1"), UserTokens.GENERATION_CLAIM)))),
                new Attack("no sub claim", forgery -> bearer(() -> SignedTokens.signed(UserTokenKeysResource.CURRENT,
                        withoutClaim(SignedTokens.claims(forgery.publicId(), "u1"), "sub")))),
                new Attack("a gen that is text", forgery -> bearer(() -> SignedTokens.signed(UserTokenKeysResource.CURRENT,
                        withClaim(SignedTokens.claims(forgery.publicId(), "u1"), UserTokens.GENERATION_CLAIM, "0")))),
                new Attack("chats that are no list", forgery -> bearer(() -> SignedTokens.signed(UserTokenKeysResource.CURRENT,
                        withClaim(SignedTokens.claims(forgery.publicId(), "u1"), UserTokens.CHATS_CLAIM, 1)))),
                new Attack("chats that are text", forgery -> bearer(() -> SignedTokens.signed(UserTokenKeysResource.CURRENT,
                        withClaim(SignedTokens.claims(forgery.publicId(), "u1"), UserTokens.CHATS_CLAIM, List.of("1"))))),
                new Attack("signed with another key", forgery -> bearer(() -> SignedTokens.signed(UserTokenKeysResource.OTHER,
                        forgery.publicId(), "u1", 0, Instant.now().plusSeconds(600)))),
                new Attack("expired", forgery -> bearer(() -> SignedTokens.signed(UserTokenKeysResource.CURRENT, "chat",
                        forgery.publicId(), "u1", 0, Instant.now().minusSeconds(7200), Instant.now().minusSeconds(600)))),
                new Attack("another issuer", forgery -> bearer(() -> SignedTokens.signed(UserTokenKeysResource.CURRENT, "elsewhere",
                        forgery.publicId(), "u1", 0, Instant.now().minusSeconds(60), Instant.now().plusSeconds(600)))),
                new Attack("a generation it was not minted at", forgery -> bearer(() -> SignedTokens.signed(UserTokenKeysResource.CURRENT,
                        forgery.publicId(), "u1", 7, Instant.now().plusSeconds(600)))),
                new Attack("an application that does not exist", forgery -> bearer(() -> SignedTokens.signed(UserTokenKeysResource.CURRENT,
                        "app_AAAAAAAAAAAAAAAAAAAAAA", "u1", 0, Instant.now().plusSeconds(600)))),
                new Attack("a user id that breaks the rules", forgery -> bearer(() -> SignedTokens.signed(UserTokenKeysResource.CURRENT,
                        forgery.publicId(), "u 1", 0, Instant.now().plusSeconds(600)))));
    }

    @ParameterizedTest
    @MethodSource("attacks")
    void shouldRefuseItWith401OnEveryClientPathAndStoreNothing(Attack attack) throws Exception {
        String application = createApplication();
        createChat(application);
        postMessage(application, 1, "the application's message");
        new WrittenMessages(dataSource).insert(application, 1, 1, "the application's message", true, false, "u1");
        String valid = given().when().post("/applications/{token}/users/{user}/tokens", application, "u1")
                .then().statusCode(201).extract().path("token");
        String authorization = attack.authorization().apply(new Forgery(application, valid, new WrittenMessages(dataSource).publicId(application)));

        List<Runnable> requests = new ArrayList<>();
        requests.add(() -> UserTokensTest.unauthorized(with(authorization).when().get("/chats/1").then()));
        requests.add(() -> UserTokensTest.unauthorized(with(authorization).when().get("/chats/1/messages").then()));
        requests.add(() -> UserTokensTest.unauthorized(with(authorization).when().get("/chats/1/messages/1").then()));
        requests.add(() -> UserTokensTest.unauthorized(with(authorization).when().get("/chats/1/messages/search?q=x").then()));
        requests.add(() -> UserTokensTest.unauthorized(with(authorization).contentType(ContentType.JSON).body(Map.of("body", "forged"))
                .when().post("/chats/1/messages").then()));
        requests.add(() -> UserTokensTest.unauthorized(with(authorization).contentType(ContentType.JSON).body(Map.of("body", "forged"))
                .when().put("/chats/1/messages/1").then()));
        requests.add(() -> UserTokensTest.unauthorized(with(authorization).when().delete("/chats/1/messages/1").then()));
        assertAll(requests.stream().map(request -> request::run));

        // Nothing posted, edited or deleted: the next message is 2, message 1 is as it was.
        assertEquals(2, postMessage(application, 1, "next"));
        given().when().get("/applications/{token}/chats/1/messages/1", application)
                .then().statusCode(200).body("body", equalTo("the application's message"));
        assertLoggedNoToken(application, valid, authorization);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"expires_in\": 59}", "{\"expires_in\": 604801}", "{\"expires_in\": 0}", "{\"expires_in\": -1}",
            "{\"expires_in\": \"3600\"}", "{\"expires_in\": 1.5}", "{\"expires_in\": true}"})
    void shouldRefuseALifetimeOutOfRangeWith400(String body) {
        String application = createApplication();
        given().contentType(ContentType.JSON).body(body).when().post("/applications/{token}/users/u1/tokens", application)
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("expires_in"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"chats\": []}", "{\"chats\": [0]}", "{\"chats\": [-1]}", "{\"chats\": [\"1\"]}", "{\"chats\": [1.5]}",
            "{\"chats\": [null]}", "{\"chats\": 1}", "{\"chats\": [2147483648]}"})
    void shouldRefuseChatsOutOfRangeWith400(String body) {
        String application = createApplication();
        given().contentType(ContentType.JSON).body(body).when().post("/applications/{token}/users/u1/tokens", application)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", startsWith("chats"));
    }

    @Test
    void shouldRefuseMoreThanAThousandChatsWith400() {
        String application = createApplication();
        List<Integer> chats = Stream.iterate(1, n -> n + 1).limit(1001).toList();
        given().contentType(ContentType.JSON).body(Map.of("chats", chats)).when().post("/applications/{token}/users/u1/tokens", application)
                .then().statusCode(400).body("errors[0].field", equalTo("chats"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a%20b", "%C3%A9", "a%2Fb", "a%3Fb", "a%23b"})
    void shouldRefuseAUserIdThatBreaksTheRulesWith400(String user) {
        String application = createApplication();
        for (String method : new String[] {"POST", "DELETE"}) {
            given().urlEncodingEnabled(false).when().request(method, "/applications/" + application + "/users/" + user + "/tokens")
                    .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("user"));
        }
    }

    /** As path segments "." and ".." name other paths (NGINX and Vert.x resolve them): never user ids. */
    @Test
    void shouldTakeNoDotSegmentForAUserId() {
        assertFalse(UserIds.isValid("."));
        assertFalse(UserIds.isValid(".."));
        assertTrue(UserIds.isValid("..."));
        assertTrue(UserIds.isValid("a.b"));
    }

    @Test
    void shouldRefuseAUserIdOfSixtyFiveCharactersAndTakeSixtyFour() {
        String application = createApplication();
        given().when().post("/applications/{token}/users/{user}/tokens", application, "u".repeat(65))
                .then().statusCode(400).body("errors[0].field", equalTo("user"));
        given().when().post("/applications/{token}/users/{user}/tokens", application, "a.b@c:d_e-f" + "u".repeat(53))
                .then().statusCode(201);
    }

    @Test
    void shouldAnswer404ForTheTokensOfAnApplicationThatDoesNotExist() {
        given().when().post("/applications/AAAAAAAAAAAAAAAAAAAAAA/users/u1/tokens").then().statusCode(404);
        given().when().delete("/applications/AAAAAAAAAAAAAAAAAAAAAA/users/u1/tokens").then().statusCode(404);
    }

    private void assertLoggedNoToken(String... secrets) {
        // The capture sees what the application logs: else the check below would pass by seeing nothing.
        org.jboss.logging.Logger.getLogger(BearerAuthentication.class).info("log capture sentinel");
        assertTrue(logged.stream().anyMatch(line -> line.contains("log capture sentinel")), "the log capture sees nothing");
        for (String line : logged) {
            for (String secret : secrets) {
                if (secret != null && secret.length() > 8) {
                    String bare = secret.startsWith("Bearer ") ? secret.substring("Bearer ".length()) : secret;
                    assertFalse(bare.length() > 8 && line.contains(bare), "a log line holds a token: " + line.replace(bare, "<token>"));
                }
            }
        }
    }

    private static RequestSpecification with(String authorization) {
        RequestSpecification request = given();
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String claims(String publicId, String user, int generation, Instant expiresAt) {
        long now = Instant.now().getEpochSecond();
        return "{\"iss\":\"chat\",\"sub\":\"" + user + "\",\"app\":\"" + publicId + "\",\"gen\":" + generation
                + ",\"iat\":" + now + ",\"exp\":" + expiresAt.getEpochSecond() + "}";
    }

    private static Map<String, Object> withoutClaim(Map<String, Object> claims, String name) {
        claims.remove(name);
        return claims;
    }

    private static Map<String, Object> withClaim(Map<String, Object> claims, String name, Object value) {
        claims.put(name, value);
        return claims;
    }

    interface Signing {
        String sign() throws Exception;
    }

    private static String bearer(Signing signing) {
        try {
            return "Bearer " + signing.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
