package io.chat.stack;

import static io.chat.stack.Client.createApplication;
import static io.chat.stack.Client.createChats;
import static io.chat.stack.Client.persisted;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.MysqlDataSource;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The stack on a three-node RabbitMQ cluster (bin/rabbitmq-cluster) with quorum queues: under steady
 * writes each node is stopped in turn, so each app loses the node it was connected to at some point.
 * Every 202 is persisted once with its body, no answer is a 500, and the apps reconnect by themselves.
 */
@Order(9)
class BrokerClusterIT {

    private static final Duration WITHIN = Duration.ofSeconds(120);
    private static final Map<String, String> CLUSTER = Map.of(
            "RABBITMQ_ADDRESSES", "127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703",
            "RABBITMQ_QUEUE_TYPE", "quorum");

    private static MysqlDataSource db;

    @BeforeAll
    static void up() throws Exception {
        Stack.script("rabbitmq-cluster", "up");
        Stack.down();
        Stack.up(3, CLUSTER);
        db = Client.database();
    }

    @AfterAll
    static void down() throws Exception {
        Stack.down();
        Stack.script("rabbitmq-cluster", "down");
    }

    @Test
    void shouldDeclareTheOperationsQueuesAsQuorumQueuesOfTheCluster() throws Exception {
        String queues = Stack.script("rabbitmq-cluster", "queues");
        String queue = "chat.message-operations.e2e"; // Stack's RABBITMQ_QUEUE
        assertTrue(queues.lines().anyMatch(line -> line.matches(Pattern.quote(queue) + "\\s+quorum")), queues);
        assertTrue(queues.lines().anyMatch(line -> line.matches(Pattern.quote(queue + ".dead") + "\\s+quorum")), queues);
    }

    @Test
    void shouldPersistEveryAcceptedMessageOnceWhileEachNodeOfTheClusterStopsInTurn() throws Exception {
        String token = createApplication();
        createChats(token, 4);
        WriteLoad load = new WriteLoad(token, 4, "broker cluster", 6);
        try (load) {
            await().atMost(WITHIN).until(() -> load.accepted() >= 100);
            for (int node = 1; node <= 3; node++) {
                Stack.script("rabbitmq-cluster", "stop", Integer.toString(node));
                int atStop = load.accepted();
                // Writes go on through the two nodes left: the apps moved to one of them by themselves.
                await().atMost(WITHIN).until(() -> load.accepted() >= atStop + 150);
                Stack.script("rabbitmq-cluster", "start", Integer.toString(node));
                int atStart = load.accepted();
                await().atMost(WITHIN).until(() -> load.accepted() >= atStart + 50);
            }
        }

        System.out.printf("broker cluster, each node stopped in turn: %d messages accepted; answers %s; %d needed a retry%n",
                load.accepted(), load.statuses(), load.retriedBodies().size());
        load.assertEveryAcceptedMessagePersistedOnce(db, WITHIN);
        // Every replica and the worker are ready again, on the cluster, without a restart.
        Stack.awaitEveryAppReady(WITHIN);
    }
}
