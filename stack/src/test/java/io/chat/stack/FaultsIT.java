package io.chat.stack;

import static io.chat.stack.Client.createApplication;
import static io.chat.stack.Client.createChats;
import static io.chat.stack.Client.queryLong;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.chat.stack.Client.Attempt;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Faults under steady write load, against the stack of FrontDoorIT's kind: a component or a local
 * service goes away and comes back while clients keep writing. After recovery, the invariants hold
 * and are printed: every message answered 202 is stored once with its body under a number given
 * once, search holds exactly what MySQL holds, counts converge, the API answered only 202, 409 or
 * 503 with Retry-After, never slower than its own timeouts, and every process that was not the
 * fault reconnected by itself, with no restart.
 */
@Order(4)
class FaultsIT {

    private static final Duration WITHIN = Duration.ofSeconds(120);
    /** The longest a request may take: a pooled connection is awaited 10 s, a broker confirm 5 s. */
    private static final long SLOWEST_ANSWER_MILLIS = 16_000;
    private static final List<String> COMPONENTS = List.of("api-1", "api-2", "api-3", "worker", "search");
    private static final String SEARCH = "http://127.0.0.1:" + Stack.SEARCH_PORT;

    private static MysqlDataSource db;

    /** A step of a fault; it gets the token of the application under load. */
    @FunctionalInterface
    interface Step {
        void run(String token) throws Exception;
    }

    @BeforeAll
    static void up() throws Exception {
        Stack.up(3);
        db = Client.database();
    }

    @AfterAll
    static void down() throws Exception {
        for (String service : List.of("mariadb", "redis", "rabbitmq")) {
            Stack.services("start", service); // whatever a failed test left stopped
        }
        Stack.down();
    }

    @Test
    void shouldKeepEveryAcceptedMessageWhenTheWorkerIsKilledAndRestarted() throws Exception {
        survive("worker SIGKILL", "worker", false, token -> Stack.kill("worker"), token -> Stack.up(3));
    }

    @Test
    void shouldKeepEveryAcceptedMessageWhenRabbitMqRestarts() throws Exception {
        survive("RabbitMQ restart", null, true,
                token -> Stack.services("stop", "rabbitmq"), token -> Stack.services("start", "rabbitmq"));
    }

    @Test
    void shouldKeepEveryAcceptedMessageWhenRedisStopsAndStarts() throws Exception {
        survive("Redis stop", null, true, token -> Stack.services("stop", "redis"),
                token -> Stack.services("start", "redis"));
    }

    @Test
    void shouldKeepEveryAcceptedMessageWhenTheSearchNodeIsKilledAndRestarted() throws Exception {
        survive("search node SIGKILL", "search", false, token -> {
            Stack.kill("search");
            HttpResponse<String> search = Client.get(Stack.frontDoor() + "/applications/" + token
                    + "/chats/1/messages/search?q=search");
            assertEquals(503, search.statusCode(), search.body());
            assertTrue(search.headers().firstValue("Retry-After").isPresent());
        }, token -> Stack.up(3));
    }

    @Test
    void shouldKeepEveryAcceptedMessageWhenMariaDbStopsForAFewSeconds() throws Exception {
        survive("MariaDB stop", null, true, token -> Stack.services("stop", "mariadb"),
                token -> Stack.services("start", "mariadb"));
    }

    /**
     * Writes go on while {@code inject} takes something away and {@code recover} brings it back.
     * {@code killed} is the stack component the fault replaces (it gets a new pid), if any.
     */
    private static void survive(String fault, String killed, boolean answers503, Step inject, Step recover) throws Exception {
        String token = createApplication();
        createChats(token, 4);
        Map<String, Long> pids = pids();
        Duration held;
        Duration recovery;
        WriteLoad load = new WriteLoad(token, 4, fault, 6);
        try (load) {
            await().atMost(WITHIN).until(() -> load.accepted() >= 100);
            Instant start = Instant.now();
            inject.run(token);
            int atFault = load.accepted();
            // Hold the fault: until clients met it for a while, or wrote on through it.
            if (answers503) {
                await().atMost(WITHIN).until(() -> load.unavailable() >= 50);
            } else {
                await().atMost(WITHIN).until(() -> load.accepted() >= atFault + 100);
            }
            held = Duration.between(start, Instant.now());
            recover.run(token);
            int atRecovery = load.accepted();
            await().atMost(WITHIN).until(() -> load.accepted() >= atRecovery + 200);
            recovery = Duration.between(start, Instant.now()).minus(held);
        }
        Instant checks = Instant.now();

        List<Attempt> attempts = load.attempts();
        Map<Integer, Long> statuses = attempts.stream()
                .collect(Collectors.groupingBy(Attempt::status, TreeMap::new, Collectors.counting()));
        long slowest = attempts.stream().mapToLong(Attempt::millis).max().orElse(0);
        Map<String, String> accepted = load.acceptedMessages();
        System.out.printf("%s: %d messages accepted; answers %s; slowest %d ms; %d messages needed a retry;"
                + " fault held %d s, recovery took %d s%n", fault, accepted.size(), statuses, slowest,
                load.retriedBodies().size(), held.toSeconds(), recovery.toSeconds());
        attempts.stream().filter(attempt -> attempt.status() == 0)
                .forEach(attempt -> System.out.println("no answer: " + attempt.error()));

        load.assertEveryAcceptedMessagePersistedOnce(db, WITHIN);
        assertTrue(attempts.stream().filter(attempt -> attempt.status() == 503).allMatch(attempt -> attempt.retryAfter() != null),
                "a 503 without Retry-After");
        assertTrue(slowest <= SLOWEST_ANSWER_MILLIS, "slowest answer " + slowest + " ms");
        assertEquals(answers503, statuses.containsKey(503), "answers " + statuses);

        await().atMost(WITHIN).untilAsserted(() -> assertEquals(Client.messagesByChat(db, token), Client.searchDocumentsByChat(db, token, SEARCH)));
        await().atMost(WITHIN).until(() -> queryLong(db, "SELECT COUNT(*) FROM chats c JOIN applications a"
                + " ON a.id = c.application_id WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND c.messages_count <> (SELECT COUNT(*)"
                + " FROM messages m WHERE m.chat_id = c.id AND m.created AND NOT m.deleted)", token) == 0);
        await().atMost(WITHIN).until(FaultsIT::everyComponentReady);
        Map<String, Long> pidsAfter = pids();
        for (String component : COMPONENTS) {
            if (!component.equals(killed)) {
                assertEquals(pids.get(component), pidsAfter.get(component), component + " was restarted");
            }
        }
        System.out.printf("%s: all %d accepted messages stored once with their bodies; search = MySQL for %d chats;"
                + " counts converged; %s reconnected by themselves; checked in %d s%n", fault, accepted.size(),
                Client.messagesByChat(db, token).size(), COMPONENTS.stream().filter(component -> !component.equals(killed)).toList(),
                Duration.between(checks, Instant.now()).toSeconds());
    }

    private static Map<String, Long> pids() throws Exception {
        Map<String, Long> pids = new HashMap<>();
        for (String component : COMPONENTS) {
            pids.put(component, Stack.pid(component));
        }
        return pids;
    }

    private static boolean everyComponentReady() {
        for (String url : Stack.apps()) {
            try {
                if (Client.get(url + "/q/health/ready").statusCode() != 200) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }
}
