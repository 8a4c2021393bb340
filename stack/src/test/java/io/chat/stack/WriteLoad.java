package io.chat.stack;

import io.chat.stack.Client.Answer;
import io.chat.stack.Client.Attempt;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
