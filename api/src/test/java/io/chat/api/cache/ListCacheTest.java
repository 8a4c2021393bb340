package io.chat.api.cache;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;

import io.agroal.api.AgroalDataSource;
import io.chat.api.message.WrittenMessages;
import io.chat.common.cache.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
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
        WrittenMessages written = new WrittenMessages(dataSource);
        long chat = written.chatId(token, 1);
        written.insert(token, 1, 1, "hi", true, false);
        given().when().get("/applications/{token}/chats/1/messages", token).then().body("data.number", contains(1));

        written.insert(token, 1, 2, "hi", true, false); // written, but no bump yet: the cached page is still served
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
}
