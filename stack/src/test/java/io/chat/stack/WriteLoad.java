package io.chat.stack;

import io.chat.stack.Client.Answer;
import java.net.http.HttpResponse;
import java.time.Duration;
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

    /** One request and its answer; status 0 when none came (then {@code error} says why). */
    record Attempt(int status, String retryAfter, long millis, String error) {
    }

    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(120);

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
        if (!clients.awaitTermination(GIVE_UP_AFTER.toSeconds() + 60, TimeUnit.SECONDS)) {
            clients.shutdownNow();
        }
    }

    private void writeUntilStopped() {
        while (running.get()) {
            int n = sequence.incrementAndGet();
            String body = label + " " + n;
            String key = n % 2 == 0 ? UUID.randomUUID().toString() : null;
            String url = Client.messagesOf(token, n % chats + 1);
            long deadline = System.nanoTime() + GIVE_UP_AFTER.toNanos();
            while (true) {
                long start = System.nanoTime();
                HttpResponse<String> response;
                try {
                    response = Client.send(Client.request(url, Client.messageJson(body), key));
                } catch (RuntimeException e) {
                    attempts.add(new Attempt(0, null, (System.nanoTime() - start) / 1_000_000, e.getCause() + ""));
                    response = null;
                }
                if (response != null) {
                    attempts.add(new Attempt(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                            (System.nanoTime() - start) / 1_000_000, null));
                    if (response.statusCode() == 202) {
                        Answer answer = new Answer(202, response.body(), response.headers().firstValue("Location").orElse(""));
                        if (accepted.putIfAbsent(answer.location(), body) != null) {
                            numbersGivenTwice.add(answer.location());
                        }
                        break;
                    }
                    if (response.statusCode() != 503 && response.statusCode() != 409) {
                        abandoned.add(body); // not worth a retry: the assertions report it
                        break;
                    }
                }
                retried.add(body);
                if (System.nanoTime() > deadline) {
                    abandoned.add(body);
                    break;
                }
                try {
                    Thread.sleep(200); // the client's backoff before it retries
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
