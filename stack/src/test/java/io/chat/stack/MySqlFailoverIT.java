package io.chat.stack;

import static io.chat.stack.Client.createApplication;
import static io.chat.stack.Client.createChats;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.chat.stack.Client.Answer;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The stack on a MariaDB primary and its semi-synchronous replica (bin/mysql-failover), through
 * Connector/J's failover URL: under steady writes the replica stops applying what it receives,
 * the primary is SIGKILLed, and the replica is promoted only once the apps have met it read-only.
 * No answer is a 500, no number is given twice, every 202 is persisted once on the new primary,
 * and a chat created there is read back at once.
 */
@Order(12)
class MySqlFailoverIT {

    private static final Duration WITHIN = Duration.ofSeconds(120);
    private static final String PRIMARY = "3316";
    private static final String REPLICA = "3317";
    private static final Map<String, String> FAILOVER = Map.of(
            "DB_ADDRESSES", "127.0.0.1:" + PRIMARY + ",127.0.0.1:" + REPLICA,
            // For bin/stack's check that MySQL is reachable.
            "DB_HOST", "127.0.0.1",
            "DB_PORT", PRIMARY,
            // Not root: read-only binds every user without READ_ONLY ADMIN (or SUPER on MySQL).
            "DB_USER", "chat");
    private static final Pattern NUMBER = Pattern.compile("\"number\":(\\d+)");

    @BeforeAll
    static void up() throws Exception {
        Stack.script("mysql-failover", "up");
        Stack.down();
        Stack.up(3, FAILOVER);
    }

    @AfterAll
    static void down() throws Exception {
        Stack.down();
        Stack.script("mysql-failover", "down");
    }

    @Test
    void shouldKeepEveryAcceptedMessageAndNumberThroughASwitchOfPrimary() throws Exception {
        String token = createApplication();
        createChats(token, 4);
        MysqlDataSource replica = database(REPLICA);
        WriteLoad load = new WriteLoad(token, 4, "MySQL switch", 6);
        long unavailableAtKill;
        long unavailableAtPromotion;
        try (load) {
            await().atMost(WITHIN).until(() -> load.accepted() >= 100);
            // Replication is live and semi-synchronous: the replica has messages of this application.
            await().atMost(WITHIN).until(() -> !Client.persisted(replica, token).isEmpty());
            assertEquals("ON", Stack.script("mysql-failover", "semi-sync").strip());
            // The replica lags: it receives (and acknowledges) what the primary commits, but applies
            // none of it until it is promoted.
            Stack.script("mysql-failover", "pause-replica");
            int atPause = load.accepted();
            await().atMost(WITHIN).until(() -> load.accepted() >= atPause + 50);
            unavailableAtKill = load.unavailable();
            Stack.script("mysql-failover", "kill-primary");
            int atKill = load.accepted();
            // With the primary gone, the apps' connections fail over to the replica, which refuses
            // writes (read-only): 503s, never a 500.
            await().atMost(WITHIN).failFast("an answer was a 500", () -> load.statuses().containsKey(500))
                    .until(() -> load.unavailable() > unavailableAtKill + 10
                            && Integer.parseInt(Stack.script("mysql-failover", "connections").strip()) > 0);
            unavailableAtPromotion = load.unavailable();
            Stack.script("mysql-failover", "promote");
            int atPromotion = load.accepted();
            await().atMost(WITHIN).failFast("an answer was a 500", () -> load.statuses().containsKey(500))
                    .until(() -> load.accepted() >= atPromotion + 200);
            System.out.printf("MySQL switch: %d accepted before the kill, %d while no primary took writes%n",
                    atKill, atPromotion - atKill);
        }
        assertEquals(REPLICA, Stack.script("mysql-failover", "primary").strip());

        System.out.printf("MySQL switch (primary %s killed, %s promoted): %d messages accepted; answers %s "
                + "(%d 503s from the kill to the promotion); %d needed a retry%n", PRIMARY, REPLICA, load.accepted(),
                load.statuses(), unavailableAtPromotion - unavailableAtKill, load.retriedBodies().size());
        load.assertEveryAcceptedMessagePersistedOnce(replica, WITHIN);

        // Read-after-write on the new primary: a chat created through one replica is there at once
        // through another.
        Answer created = Client.post(Stack.replica(1) + "/applications/" + token + "/chats", null, null);
        assertEquals(201, created.status(), created.body());
        Matcher number = NUMBER.matcher(created.body());
        assertTrue(number.find(), created.body());
        assertEquals(5, Integer.parseInt(number.group(1)), "chat numbers go on from the old primary's");
        assertEquals(200, Client.get(Stack.replica(2) + "/applications/" + token + "/chats/5").statusCode());
        Stack.awaitEveryAppReady(WITHIN);

        // This test's tokens live only in the pair's database, gone before NoSecretInLogsIT scans
        // the logs: scan them here, against it.
        try (Connection connection = replica.getConnection()) {
            LogScan.Result result = LogScan.scan(Stack.DIR.resolve("logs"), connection);
            // NGINX's access log alone has a line per attempt.
            assertTrue(result.lines() > load.attempts().size(), result + " for " + load.attempts().size() + " attempts");
            assertEquals(List.of(), result.findings());
        }
    }

    private static MysqlDataSource database(String port) {
        MysqlDataSource db = new MysqlDataSource();
        db.setURL("jdbc:mysql://127.0.0.1:" + port + "/" + Stack.DATABASE);
        db.setUser("chat");
        return db;
    }
}
