package io.chat.stack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.mysql.cj.jdbc.MysqlDataSource;
import io.chat.stack.Client.Answer;
import io.chat.stack.Client.Attempt;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Steady writes through the front door, as careful clients make them: each message is retried after
 * a 503 or 409 until it is accepted, every other message with an Idempotency-Key. Every answer is
 * recorded, with its Retry-After and how long it took.
 */
final class WriteLoad implements AutoCloseable {

    private final String token;
    private final int chats;
    private final String label;
    private final ExecutorService clients;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sequence = new AtomicInteger();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    /** Body by Location, of every message answered 202. */
    private final Map<String, String> accepted = new ConcurrentHashMap<>();
    private final Set<String> retried = ConcurrentHashMap.newKeySet();
    private final Set<String> abandoned = ConcurrentHashMap.newKeySet();
    private final Set<String> numbersGivenTwice = ConcurrentHashMap.newKeySet();

    WriteLoad(String token, int chats, String label, int clients) {
        this.token = token;
        this.chats = chats;
        this.label = label;
        this.clients = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            this.clients.submit(this::writeUntilStopped);
        }
    }

    int accepted() {
        return accepted.size();
    }

    long unavailable() {
        return attempts.stream().filter(attempt -> attempt.status() == 503).count();
    }

    Map<String, String> acceptedMessages() {
        return Map.copyOf(accepted);
    }

    Set<String> retriedBodies() {
        return Set.copyOf(retried);
    }

    Set<String> abandonedBodies() {
        return Set.copyOf(abandoned);
    }

    Set<String> numbersGivenTwice() {
        return Set.copyOf(numbersGivenTwice);
    }

    List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    /** The answers, by status. */
    Map<Integer, Long> statuses() {
        return attempts.stream().collect(Collectors.groupingBy(Attempt::status, TreeMap::new, Collectors.counting()));
    }

    /**
     * What a fault must never break, once the load is closed: every message was accepted in the end,
     * no number was given twice, no answer was other than 202, 409 or 503, and every 202 is persisted
     * (within {@code within}) with its body, once. A message retried without a key after a 503 may be
     * there twice: a client's choice, not counted.
     */
    void assertEveryAcceptedMessagePersistedOnce(MysqlDataSource db, Duration within) throws SQLException {
        Map<Integer, Long> statuses = statuses();
        assertEquals(Set.of(), abandonedBodies(), "messages never accepted");
        assertEquals(Set.of(), numbersGivenTwice());
        assertTrue(Set.of(202, 409, 503).containsAll(statuses.keySet()), "answers " + statuses);
        Map<String, String> accepted = acceptedMessages();
        await().atMost(within).until(() -> Client.persisted(db, token).keySet().containsAll(accepted.keySet()));
        Map<String, String> persisted = Client.persisted(db, token);
        accepted.forEach((location, body) -> assertEquals(body, persisted.get(location), location));
        Map<String, Long> copies = persisted.values().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        accepted.values().stream().filter(body -> !retried.contains(body))
                .forEach(body -> assertEquals(1L, copies.get(body), "copies of " + body));
    }

    /** Stops sending new messages and waits for those under way to be answered. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        clients.shutdown();
        if (!clients.awaitTermination(180, TimeUnit.SECONDS)) {
            clients.shutdownNow();
        }
    }

    private void writeUntilStopped() {
        while (running.get()) {
            int n = sequence.incrementAndGet();
            String body = label + " " + n;
            String key = n % 2 == 0 ? UUID.randomUUID().toString() : null;
            AtomicInteger tries = new AtomicInteger();
            Answer answer = Client.postRetrying(Client.messagesOf(token, n % chats + 1), Client.messageJson(body), key,
                    attempt -> {
                        tries.incrementAndGet();
                        attempts.add(attempt);
                    });
            if (tries.get() > 1) {
                retried.add(body);
            }
            if (answer.status() != 202) {
                abandoned.add(body); // given up, or refused for good: the assertions report it
            } else if (accepted.putIfAbsent(answer.location(), body) != null) {
                numbersGivenTwice.add(answer.location());
            }
        }
    }
}
