package io.chat.api.names;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Names resolved once per replica, and what makes them go: another replica's delete is played here
 * by what it leaves behind, a row marked deleted in MySQL and a notice on the names exchange.
 */
@QuarkusTest
class LiveNamesTest {

    private static final String EXCHANGE = "chat.names.test-api";

    @Inject
    AgroalDataSource database;

    @Inject
    NameFanout fanout;

    @BeforeEach
    void connected() {
        await().atMost(Duration.ofSeconds(30)).until(fanout::isConnected);
    }

    @AfterEach
    void startBroker() throws Exception {
        rabbitmqctl("start_app");
    }

    @Test
    void shouldForgetAChatAnotherReplicaDeletedOnceItsNoticeArrives() throws Exception {
        String token = createApplication();
        int chat = createChat(token);
        messages(token, chat, 200);

        deletedElsewhere("UPDATE chats c JOIN applications a ON a.id = c.application_id SET c.deleted_at = NOW(3)"
                + " WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND c.number = " + chat, token);
        // Resolved from this replica's memory: what the notice is for.
        messages(token, chat, 200);

        notice();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> messages(token, chat, 404));
        given().when().get("/applications/{token}/chats/{chat}/messages/search?q=x", token, chat).then().statusCode(404);
    }

    @Test
    void shouldForgetAnApplicationAnotherReplicaDeletedOnceItsNoticeArrives() throws Exception {
        String token = createApplication();
        int chat = createChat(token);
        given().when().get("/applications/{token}/chats", token).then().statusCode(200);
        messages(token, chat, 200);

        deletedElsewhere("UPDATE applications SET deleted_at = NOW(3) WHERE token_hash = UNHEX(SHA2(?, 256))", token);
        given().when().get("/applications/{token}/chats", token).then().statusCode(200);
        notice();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> given().when().get("/applications/{token}/chats", token)
                .then().statusCode(404));
        messages(token, chat, 404);
    }

    @Test
    void shouldAnswer404AtOnceAfterADeleteOnThisReplica() {
        String token = createApplication();
        int first = createChat(token);
        int second = createChat(token);
        messages(token, first, 200);
        messages(token, second, 200);
        given().when().get("/applications/{token}/chats/{chat}/members", token, first).then().statusCode(200);

        given().when().delete("/applications/{token}/chats/{chat}", token, first).then().statusCode(204);
        messages(token, first, 404);
        given().when().get("/applications/{token}/chats/{chat}/members", token, first).then().statusCode(404);
        given().when().get("/applications/{token}/chats/{chat}/events", token, first).then().statusCode(404);
        messages(token, second, 200);

        given().when().delete("/applications/{token}", token).then().statusCode(204);
        messages(token, second, 404);
        given().when().get("/applications/{token}/chats", token).then().statusCode(404);
    }

    @Test
    void shouldKeepNothingWhileNoticesCannotArrive() throws Exception {
        String token = createApplication();
        int before = createChat(token);
        int after = createChat(token);
        messages(token, before, 200);

        rabbitmqctl("stop_app");
        await().atMost(Duration.ofSeconds(30)).until(() -> !fanout.isConnected());
        // A delete whose notice nobody could send: with the broker away, it is read from MySQL.
        deletedElsewhere("UPDATE chats c JOIN applications a ON a.id = c.application_id SET c.deleted_at = NOW(3)"
                + " WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND c.number = " + before, token);
        messages(token, before, 404);
        messages(token, after, 200);

        rabbitmqctl("start_app");
        await().atMost(Duration.ofSeconds(60)).until(fanout::isConnected);
        // Kept again once notices arrive: resolved now, it outlives a silent delete.
        messages(token, after, 200);
        deletedElsewhere("UPDATE chats c JOIN applications a ON a.id = c.application_id SET c.deleted_at = NOW(3)"
                + " WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND c.number = " + after, token);
        messages(token, after, 200);
        notice();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> messages(token, after, 404));
    }

    private static void messages(String token, int chat, int status) {
        given().when().get("/applications/{token}/chats/{chat}/messages", token, chat).then().statusCode(status);
    }

    private void deletedElsewhere(String update, String token) throws Exception {
        try (java.sql.Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(update)) {
            statement.setString(1, token);
            assertEquals(1, statement.executeUpdate());
        }
    }

    /** What another replica's delete publishes. */
    private static void notice() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection("api-test-names"); Channel channel = connection.createChannel()) {
            channel.basicPublish(EXCHANGE, "", null, new byte[0]);
        }
    }

    private static void rabbitmqctl(String command) throws Exception {
        Process process = new ProcessBuilder("rabbitmqctl", command).inheritIO().start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl " + command + " failed");
        }
    }
}
