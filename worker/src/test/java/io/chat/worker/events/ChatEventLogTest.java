package io.chat.worker.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.chat.common.events.ChatEvent;
import io.chat.common.messaging.MessageOperation;
import io.chat.common.messaging.MessageOperation.Type;
import io.chat.worker.message.OperationWriter;
import io.chat.worker.support.Database;
import io.chat.worker.support.TestChat;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The events a commit appends to chat_events, written by the real OperationWriter to the real MariaDB. */
@QuarkusTest
class ChatEventLogTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OperationWriter writer;

    private Database db;
    private TestChat chat;

    @BeforeEach
    void setUp() throws Exception {
        db = new Database(dataSource);
        chat = TestChat.create(db);
    }

    @Test
    void shouldAppendOneEventPerVisibleChangeNumberedOneTwoThree() throws Exception {
        writer.apply(List.of(chat.operation(Type.CREATE, 1, 1, "first", "u1"), chat.operation(Type.CREATE, 2, 2, "second")));
        writer.apply(List.of(chat.operation(Type.UPDATE, 1, 3, "first, edited")));
        List<ChatEvent> deleted = writer.apply(List.of(chat.operation(Type.DELETE, 2, 4, null))).events();
        // Redelivered, all of them: nothing changes, so nothing is appended.
        List<ChatEvent> redelivered = writer.apply(List.of(chat.operation(Type.CREATE, 1, 1, "first", "u1"),
                chat.operation(Type.UPDATE, 1, 3, "first, edited"), chat.operation(Type.DELETE, 2, 4, null))).events();

        assertEquals(List.of("1 message.created 1", "2 message.created 2", "3 message.updated 1", "4 message.deleted 2"), events());
        assertEquals(List.of(), redelivered);
        assertEquals(List.of(4L), db.longs("SELECT last_seq FROM chat_streams WHERE chat_id = " + chat.chat()));
        assertEquals(1, deleted.size());
        assertEquals(JSON.readTree("{\"number\": 2, \"chat_number\": 1}"), JSON.readTree(deleted.get(0).data()));
        JsonNode updated = JSON.readTree(data(3));
        assertEquals("first, edited", updated.get("body").asText());
        assertEquals("u1", updated.get("sender").asText());
        assertEquals(1, updated.get("chat_number").asInt());
        assertTrue(updated.get("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertTrue(JSON.readTree(data(2)).get("sender").isNull(), "no sender is null, as in a GET");
    }

    @Test
    void shouldAppendNothingForWhatNoClientCouldSee() throws Exception {
        // An edit overtakes its create, then an older edit arrives: the message is not visible yet.
        assertEquals(List.of(), writer.apply(List.of(chat.operation(Type.UPDATE, 1, 5, "edited"))).events());
        assertEquals(List.of(), writer.apply(List.of(chat.operation(Type.UPDATE, 1, 3, "older"))).events());
        // Its create makes it visible, with the newest body.
        List<ChatEvent> created = writer.apply(List.of(chat.operation(Type.CREATE, 1, 1, "original"))).events();
        // A delete that overtook its create: the message never becomes visible.
        writer.apply(List.of(chat.operation(Type.DELETE, 2, 7, null)));
        writer.apply(List.of(chat.operation(Type.CREATE, 2, 6, "never seen")));
        // An edit older than the one applied changes nothing either.
        writer.apply(List.of(chat.operation(Type.UPDATE, 1, 4, "stale")));

        assertEquals(List.of("1 message.created 1"), events());
        assertEquals("edited", JSON.readTree(created.get(0).data()).get("body").asText());
    }

    @Test
    void shouldMakeOneEventOfSeveralOperationsOnAMessageInOneBatchInTheOrderOfTheirVersions() throws Exception {
        List<ChatEvent> events = writer.apply(List.of(
                chat.operation(Type.UPDATE, 2, 4, "two, edited"),
                chat.operation(Type.CREATE, 3, 3, "three"),
                chat.operation(Type.CREATE, 2, 2, "two"),
                chat.operation(Type.CREATE, 1, 1, "one"),
                chat.operation(Type.DELETE, 3, 5, null))).events();

        // 3 was created and deleted within the commit: no client saw it.
        assertEquals(List.of("1 message.created 1", "2 message.created 2"), events());
        assertEquals("two, edited", JSON.readTree(events.get(1).data()).get("body").asText());
    }

    /**
     * Writers committing batches of one chat at once, as several workers do: the stream's lock
     * makes every seq taken once, with no gap, and every message created once. Without it, two
     * transactions would read the same last seq and one of them fail on the primary key.
     */
    @Test
    void shouldNumberEventsWithNoGapAndNoRepeatWhenWritersCommitAtOnce() throws Exception {
        TestChat other = TestChat.create(db);
        int writers = 6;
        int batches = 15;
        int perBatch = 10;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    for (int b = 0; b < batches; b++) {
                        List<MessageOperation> batch = new ArrayList<>();
                        for (int i = 0; i < perBatch; i++) {
                            int number = 1 + (writer * batches + b) * perBatch + i;
                            batch.add(chat.operation(Type.CREATE, number, number, "m" + number));
                            batch.add(other.operation(Type.CREATE, number, number, "o" + number));
                        }
                        Collections.shuffle(batch);
                        this.writer.apply(batch);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        int total = writers * batches * perBatch;
        for (TestChat each : List.of(chat, other)) {
            assertEquals(LongStream.rangeClosed(1, total).boxed().toList(),
                    db.longs("SELECT seq FROM chat_events WHERE chat_id = " + each.chat() + " ORDER BY seq"));
            Set<Long> numbers = new HashSet<>(db.longs("SELECT number FROM chat_events WHERE chat_id = " + each.chat()));
            assertEquals(IntStream.rangeClosed(1, total).mapToObj(Long::valueOf).collect(java.util.stream.Collectors.toSet()), numbers);
            assertEquals(List.of((long) total), db.longs("SELECT last_seq FROM chat_streams WHERE chat_id = " + each.chat()));
        }
    }

    private List<String> events() throws Exception {
        return db.strings("SELECT CONCAT(seq, ' ', type, ' ', number) FROM chat_events WHERE chat_id = " + chat.chat() + " ORDER BY seq");
    }

    private String data(long seq) throws Exception {
        return db.strings("SELECT data FROM chat_events WHERE chat_id = " + chat.chat() + " AND seq = " + seq).get(0);
    }
}
