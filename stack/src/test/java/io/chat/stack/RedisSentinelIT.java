package io.chat.stack;

import static io.chat.stack.Client.createApplication;
import static io.chat.stack.Client.createChats;
import static io.chat.stack.Client.messageJson;
import static io.chat.stack.Client.messagesOf;
import static io.chat.stack.Client.persisted;
import static io.chat.stack.Client.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.chat.stack.Client.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The stack on Redis with Sentinel (bin/redis-sentinel): the master is SIGKILLed under steady
 * writes and the Sentinels promote its replica. No answer is a 500, every 202 is persisted once,
 * the apps find the new master by themselves, and an Idempotency-Key works on it.
 */
@Order(10)
class RedisSentinelIT {

    private static final Duration WITHIN = Duration.ofSeconds(120);
    private static final Map<String, String> SENTINEL = Map.of(
            "QUARKUS_REDIS_CLIENT_TYPE", "sentinel",
            "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:26391,redis://127.0.0.1:26392,redis://127.0.0.1:26393",
            "QUARKUS_REDIS_MASTER_NAME", "chat",
            "QUARKUS_REDIS_ROLE", "master");

    private static MysqlDataSource db;

    @BeforeAll
    static void up() throws Exception {
        Stack.script("redis-sentinel", "up");
        Stack.down();
        Stack.up(3, SENTINEL);
        db = Client.database();
    }

    @AfterAll
    static void down() throws Exception {
        Stack.down();
        Stack.script("redis-sentinel", "down");
    }

    @Test
    void shouldKeepEveryAcceptedMessageWhenTheMasterIsKilledAndTheSentinelsPromoteTheReplica() throws Exception {
        String token = createApplication();
        createChats(token, 4);
        String master = Stack.script("redis-sentinel", "master").strip();
        WriteLoad load = new WriteLoad(token, 4, "Redis failover", 6);
        try (load) {
            await().atMost(WITHIN).until(() -> load.accepted() >= 100);
            // The apps use the master the Sentinels name (idempotency keys, list versions, rate limits are there).
            assertTrue(dbSize(master) > 0, "keys on the master " + master);
            Stack.script("redis-sentinel", "kill-master");
            int atKill = load.accepted();
            await().atMost(WITHIN).until(() -> !Stack.script("redis-sentinel", "master").strip().equals(master));
            await().atMost(WITHIN).until(() -> load.accepted() >= atKill + 200);
        }
        String promoted = Stack.script("redis-sentinel", "master").strip();
        assertNotEquals(master, promoted);

        System.out.printf("Redis failover (master %s killed, %s promoted): %d messages accepted; answers %s; %d needed a retry%n",
                master, promoted, load.accepted(), load.statuses(), load.retriedBodies().size());
        load.assertEveryAcceptedMessagePersistedOnce(db, WITHIN);

        // On the promoted master: an Idempotency-Key sent to one replica and repeated on another gets
        // the first answer, and the keys are written there.
        String key = UUID.randomUUID().toString();
        String path = messagesOf(token, 1).substring(Stack.frontDoor().length());
        Answer first = Client.postRetrying(Stack.replica(1) + path, messageJson("once after the failover"), key, attempt -> { });
        assertEquals(202, first.status(), first.body());
        Answer again = post(Stack.replica(2) + path, messageJson("once after the failover"), key);
        assertEquals(202, again.status(), again.body());
        assertEquals(first.location(), again.location(), "the same message, not a second one");
        await().atMost(WITHIN).until(() -> persisted(db, token).values().stream().filter("once after the failover"::equals).count() == 1);
        assertTrue(dbSize(promoted) > 0, "keys on the promoted master " + promoted);
        Stack.awaitEveryAppReady(WITHIN);
    }

    private static long dbSize(String port) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("redis-cli", "-p", port, "dbsize").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS));
        return Long.parseLong(output);
    }
}
