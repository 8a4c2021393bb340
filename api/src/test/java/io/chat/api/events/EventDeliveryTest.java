package io.chat.api.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chat.common.events.ChatEvent;
import io.chat.common.events.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Delivery under stress on one replica: subscribers that drop and resume at random while events
 * commit and their fan-out messages are lost, repeated and reordered; and a subscriber that stops
 * reading. (Across replicas, with the real worker: the stack's EventsIT.)
 */
@QuarkusTest
class EventDeliveryTest extends FollowedChatTest {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    /**
     * Six subscribers each drop their connection after a random number of events (or a random time)
     * and resume with the last id they saw, while a writer commits 600 events in batches whose
     * fan-out messages are lost (one in five), repeated, or published after the next batch's. Each
     * subscriber, over all its connections, must have received 1..600 exactly: no gap, no repeat,
     * no reordering.
     */
    @Test
    void shouldGiveEverySubscriberEveryEventOnceInOrderWhileTheyDropAndResume() throws Exception {
        int total = 600;
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger connections = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(7);
        try {
            List<Future<List<Long>>> subscribers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                subscribers.add(pool.submit(() -> churn(total, writing, connections)));
            }
            Future<?> writer = pool.submit((Callable<Void>) () -> {
                List<ChatEvent> held = null;
                int committed = 0;
                int batches = 0;
                while (committed < total) {
                    if (++batches % 10 == 0) {
                        // Paced by the subscribers: ten batches, then on once one of them has reconnected, so
                        // that the drops and resumes happen while events commit, not after.
                        int seen = connections.get();
                        await().atMost(WITHIN).until(() -> connections.get() > seen);
                    }
                    int size = Math.min(total - committed, 1 + ThreadLocalRandom.current().nextInt(8));
                    List<ChatEvent> batch = worker.commit(chat, size);
                    committed += size;
                    int fate = ThreadLocalRandom.current().nextInt(10);
                    if (fate < 2) {
                        // lost
                    } else if (fate < 3) {
                        worker.publish(batch);
                        worker.publish(batch); // repeated
                    } else if (fate < 4 && held == null) {
                        held = batch; // published after the next one
                        continue;
                    } else {
                        worker.publish(batch);
                    }
                    if (held != null) {
                        worker.publish(held);
                        held = null;
                    }
                }
                if (held != null) {
                    worker.publish(held);
                }
                writing.set(false);
                return null;
            });
            writer.get();
            List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
            for (Future<List<Long>> subscriber : subscribers) {
                assertEquals(expected, subscriber.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** What one subscriber received over all its connections, by id, until it has the last event. */
    private List<Long> churn(int total, AtomicBoolean writing, AtomicInteger connections) throws Exception {
        List<Long> received = Collections.synchronizedList(new ArrayList<>());
        String lastId = "0";
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int take = writing.get() ? 1 + random.nextInt(60) : Integer.MAX_VALUE;
            try (SseClient client = SseClient.open(base() + "?since=0", Map.of("Last-Event-ID", lastId))) {
                connections.incrementAndGet();
                for (int i = 0; i < take; i++) {
                    SseClient.Event event = client.poll(writing.get() ? Duration.ofMillis(random.nextInt(200)) : WITHIN);
                    if (event == null) {
                        break;
                    }
                    received.add(Long.valueOf(event.id()));
                    lastId = event.id();
                    if (Long.parseLong(lastId) == total) {
                        return received;
                    }
                }
            }
        }
        return received;
    }

    /**
     * A subscriber that stops reading is cut off once chat.events.buffer (100 in tests) live events
     * wait for it, and the others are not held back; it resumes later from the id it had.
     */
    @Test
    void shouldCutOffASubscriberThatStopsReadingAndNotHoldBackTheOthers() throws Exception {
        String big = "y".repeat(60_000);
        try (SseClient reader = SseClient.open(base(), Map.of()); Socket stalled = stalledSubscriber()) {
            await().atMost(WITHIN).until(() -> streams.subscribers(chat) == 2);
            int total = 400;
            for (int i = 0; i < total / 10; i++) {
                worker.publish(worker.commit(chat, 10, big));
            }
            List<Long> ids = reader.next(total, WITHIN).stream().map(event -> Long.valueOf(event.id())).toList();
            assertEquals(LongStream.rangeClosed(1, total).boxed().toList(), ids);
            await().atMost(WITHIN).until(() -> streams.subscribers(chat) == 1);
        }
        // It resumes from what it had (nothing): a replay goes at the pace the client reads, so it is not cut off.
        try (SseClient resumed = SseClient.open(base() + "?since=0", Map.of())) {
            List<Long> ids = resumed.next(400, WITHIN).stream().map(event -> Long.valueOf(event.id())).toList();
            assertEquals(LongStream.rangeClosed(1, 400).boxed().toList(), ids);
        }
    }

    /** A connection that asks for the stream, then never reads: its receive window stays shut. */
    private Socket stalledSubscriber() throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("localhost", RestAssured.port), 5_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /applications/" + application + "/chats/1/events HTTP/1.1\r\nHost: localhost\r\n"
                + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private String base() {
        return EventStreamTest.base() + "/applications/" + application + "/chats/1/events";
    }
}
