package io.chat.api.cache;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;

import io.agroal.api.AgroalDataSource;
import io.chat.common.cache.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The list cache against the real Redis: used, invalidated by a version bump, optional. */
@QuarkusTest
class ListCacheTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RedisDataSource redis;

    @Test
    void shouldServeCachedMessagePagesUntilTheWorkerBumpsTheListVersion() throws Exception {
        String token = createApplication();
        createChat(token);
        long chat = chatId(token);
        insertMessage(chat, 1);
        given().when().get("/applications/{token}/chats/1/messages", token).then().body("data.number", contains(1));

        insertMessage(chat, 2); // written, but no bump yet: the cached page is still served
        given().when().get("/applications/{token}/chats/1/messages", token).then().body("data.number", contains(1));

        redis.value(Long.class).incr(RedisKeys.listVersion(RedisKeys.messageList(chat))); // what the worker does after commit
        given().when().get("/applications/{token}/chats/1/messages", token).then().body("data.number", contains(2, 1));
    }

    @Test
    void shouldShowANewOrDeletedChatInTheNextListRead() {
        String token = createApplication();
        createChat(token);
        given().when().get("/applications/{token}/chats", token).then().body("data.number", contains(1));

        createChat(token);
        given().when().get("/applications/{token}/chats", token).then().body("data.number", contains(1, 2));

        given().when().delete("/applications/{token}/chats/1", token).then().statusCode(204);
        given().when().get("/applications/{token}/chats", token).then().body("data.number", contains(2));
    }

    @Test
    void shouldReadFromTheDatabaseWhileRedisIsDown() throws Exception {
        String token = createApplication();
        createChat(token);
        run("redis-cli", "-h", "127.0.0.1", "shutdown", "nosave");
        try {
            createChat(token);
            given().when().get("/applications/{token}/chats", token).then().statusCode(200).body("data.number", contains(1, 2));
            given().when().get("/applications/{token}/chats/1/messages", token).then().statusCode(200);
            // an Idempotency-Key cannot be honoured without Redis: 503, and nothing is created
            given().header("Idempotency-Key", "k").when().post("/applications/{token}/chats", token)
                    .then().statusCode(503).header("Retry-After", org.hamcrest.Matchers.notNullValue());
            given().when().get("/applications/{token}", token).then().body("chats_count", org.hamcrest.Matchers.equalTo(2));
        } finally {
            run("redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
                    "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> run("redis-cli", "-h", "127.0.0.1", "ping") == 0);
        }
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        process.waitFor(20, TimeUnit.SECONDS);
        return process.exitValue();
    }

    private void insertMessage(long chat, int number) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO messages (chat_id, number, body, version, created, created_at, updated_at)"
                        + " VALUES (?, ?, 'hi', ?, TRUE, '2026-11-22 22:34:57.123', '2026-11-22 22:34:57.123')")) {
            insert.setLong(1, chat);
            insert.setInt(2, number);
            insert.setLong(3, number);
            insert.executeUpdate();
        }
    }

    private long chatId(String token) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT c.id FROM chats c JOIN applications a ON a.id = c.application_id WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND c.number = 1")) {
            select.setString(1, token);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
