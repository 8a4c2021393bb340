package io.chat.stack;

import static io.chat.stack.Client.createApplication;
import static io.chat.stack.Client.createChats;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.MysqlDataSource;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The stack on a three-node OpenSearch cluster (bin/search-cluster) with a replica of each shard:
 * under steady writes and searches, one node is SIGKILLed. Searches keep answering, indexing
 * resumes, and the search engine ends with exactly MySQL's messages.
 */
@Order(11)
class SearchClusterIT {

    private static final Duration WITHIN = Duration.ofSeconds(120);
    private static final Map<String, String> CLUSTER = Map.of(
            "STACK_SEARCH_HOSTS", "127.0.0.1:9301,127.0.0.1:9302,127.0.0.1:9303",
            "SEARCH_REPLICAS", "1");

    private static MysqlDataSource db;

    @BeforeAll
    static void up() throws Exception {
        Stack.script("search-cluster", "up");
        Stack.down();
        Stack.up(3, CLUSTER);
        db = Client.database();
    }

    @AfterAll
    static void down() throws Exception {
        Stack.down();
        Stack.script("search-cluster", "down");
    }

    @Test
    void shouldKeepSearchingAndIndexingWhenANodeOfTheClusterIsKilled() throws Exception {
        String token = createApplication();
        createChats(token, 4);
        // The index has a replica of its shard: any one node can go.
        await().atMost(WITHIN).until(() -> Client.get(node(1) + "/_cluster/health/chat-messages?wait_for_status=green&timeout=1s")
                .body().contains("\"status\":\"green\""));
        int primary;
        ConcurrentMap<Integer, AtomicLong> searches = new ConcurrentHashMap<>();
        AtomicLong searchesAfterKill = new AtomicLong();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean searching = new AtomicBoolean(true);
        AtomicReference<String> failure = new AtomicReference<>();
        Thread searcher = new Thread(() -> {
            while (searching.get()) {
                HttpResponse<String> found = Client.get(Stack.frontDoor() + "/applications/" + token + "/chats/1/messages/search?q=cluster");
                searches.computeIfAbsent(found.statusCode(), status -> new AtomicLong()).incrementAndGet();
                if (found.statusCode() != 200) {
                    failure.compareAndSet(null, found.statusCode() + " " + found.body());
                } else if (killed.get()) {
                    searchesAfterKill.incrementAndGet();
                }
            }
        }, "searcher");
        WriteLoad load = new WriteLoad(token, 4, "search cluster", 6);
        searcher.start();
        try (load) {
            await().atMost(WITHIN).until(() -> load.accepted() >= 100);
            // The node that holds the index's primary shard: its replica elsewhere must take over.
            primary = primaryNode();
            Stack.script("search-cluster", "kill", Integer.toString(primary));
            killed.set(true);
            int atKill = load.accepted();
            await().atMost(WITHIN).until(() -> load.accepted() >= atKill + 300 && searchesAfterKill.get() >= 100);
        } finally {
            searching.set(false);
            searcher.join();
        }
        Map<Integer, Long> statuses = new TreeMap<>();
        searches.forEach((status, count) -> statuses.put(status, count.get()));
        System.out.printf("search cluster, node-%d (the primary shard's) SIGKILLed: %d messages accepted; searches answered %s"
                + " (%d after the kill)%n", primary, load.accepted(), statuses, searchesAfterKill.get());
        assertEquals(Set.of(200), statuses.keySet(), "searches: " + statuses + ", first failure: " + failure.get());
        assertEquals(Set.of(), load.abandonedBodies(), "messages never accepted");

        // Indexing resumed on the two nodes left: the engine holds exactly what MySQL holds.
        String alive = node(primary % 3 + 1);
        await().atMost(WITHIN).untilAsserted(() -> assertEquals(Client.messagesByChat(db, token),
                Client.searchDocumentsByChat(db, token, alive)));
        assertTrue(Client.get(alive + "/_cluster/health").body().contains("\"number_of_nodes\":2"));
        assertTrue(primaryNode() != primary, "the primary moved off the killed node");
    }

    private static String node(int number) {
        return "http://127.0.0.1:" + (9300 + number);
    }

    /** The number of the node holding the primary of chat-messages' shard, asked of any node that answers. */
    private static int primaryNode() {
        for (int number = 1; number <= 3; number++) {
            try {
                String shards = Client.get(node(number) + "/_cat/shards/chat-messages?h=prirep,node").body();
                for (String line : shards.strip().split("\n")) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length == 2 && fields[0].equals("p")) {
                        return Integer.parseInt(fields[1].substring("node-".length()));
                    }
                }
            } catch (RuntimeException e) {
                // that node is down: ask the next
            }
        }
        throw new AssertionError("no node names the primary shard");
    }
}
