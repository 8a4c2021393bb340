package io.chat.worker.message;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.chat.common.cache.RedisKeys;
import io.chat.common.messaging.MessageCodec;
import io.chat.common.messaging.MessageOperation;
import io.chat.common.messaging.MessageOperation.Type;
import io.chat.worker.support.Database;
import io.chat.worker.support.OperationQueue;
import io.chat.worker.support.TestChat;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker consuming from the real RabbitMQ and writing to the real MariaDB. */
@QuarkusTest
class OperationConsumerTest {

    private static final String QUEUE = "chat.message-operations.test-worker";
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RedisDataSource redis;

    private Database db;
    private OperationQueue queue;
    private TestChat testChat;
    private long application;
    private long chat;

    @BeforeEach
    void setUp() throws Exception {
        db = new Database(dataSource);
        queue = new OperationQueue(QUEUE);
        queue.drainDeadLetters();
        testChat = TestChat.create(db);
        application = testChat.application();
        chat = testChat.chat();
    }

    @AfterEach
    void tearDown() throws Exception {
        queue.close();
    }

    @Test
    void shouldPersistEveryMessageExactlyOnceEvenWhenDeliveredTwice() throws Exception {
        List<MessageOperation> creates = IntStream.rangeClosed(1, 300)
                .mapToObj(number -> operation(Type.CREATE, number, number, "body " + number))
                .toList();
        List<MessageOperation> withRedeliveries = new ArrayList<>(creates);
        withRedeliveries.addAll(creates.subList(100, 150));
        for (MessageOperation operation : withRedeliveries) {
            queue.publish(operation);
        }

        await().atMost(WITHIN).until(() -> db.count("messages WHERE chat_id = " + chat) == 300);
        assertEquals(IntStream.rangeClosed(1, 300).mapToObj(number -> "body " + number).toList(),
                db.strings("SELECT body FROM messages WHERE chat_id = " + chat + " ORDER BY number"));
        await().atMost(WITHIN).until(() -> db.count("chats WHERE messages_count = 300 AND id = " + chat) == 1);
        // All 350 acked, a batch's at once: none is left to come again.
        await().atMost(WITHIN).until(() -> queue.unsettled() == 0);
    }

    @Test
    void shouldMoveTheCachedListVersionOfEveryChatItWroteTo() throws Exception {
        TestChat other = TestChat.create(db);
        ValueCommands<String, Long> versions = redis.value(Long.class);
        String mine = RedisKeys.listVersion(RedisKeys.messageList(chat));
        String theirs = RedisKeys.listVersion(RedisKeys.messageList(other.chat()));
        versions.set(mine, 41L);
        versions.set(theirs, 7L);

        queue.publish(operation(Type.CREATE, 1, 1, "moves my list"));
        queue.publish(other.operation(Type.CREATE, 1, 1, "moves their list"));

        await().atMost(WITHIN).until(() -> versions.get(mine) > 41 && versions.get(theirs) > 7);
        redis.key().del(mine, theirs);
    }

    @Test
    void shouldKeepTheSenderOfTheCreateWhateverOrderItsOperationsArriveIn() throws Exception {
        // message 1 in order; message 2 with its edit first; message 3 without a sender
        queue.publish(testChat.operation(Type.CREATE, 1, 1, "by u1", "u1"));
        queue.publish(testChat.operation(Type.UPDATE, 1, 2, "edited by the application", null));
        queue.publish(testChat.operation(Type.UPDATE, 2, 4, "edit first", null));
        queue.publish(testChat.operation(Type.CREATE, 2, 3, "by support:7", "support:7"));
        queue.publish(testChat.operation(Type.CREATE, 3, 5, "anonymous", null));

        await().atMost(WITHIN).until(() -> db.count("messages WHERE created AND chat_id = " + chat) == 3);
        assertEquals(List.of("u1", "support:7"),
                db.strings("SELECT sender FROM messages WHERE sender IS NOT NULL AND chat_id = " + chat + " ORDER BY number"));
        assertEquals(List.of(3L), db.longs("SELECT number FROM messages WHERE sender IS NULL AND chat_id = " + chat));
        assertEquals(List.of("edited by the application", "edit first"),
                db.strings("SELECT body FROM messages WHERE number < 3 AND chat_id = " + chat + " ORDER BY number"));
    }

    @Test
    void shouldEndInTheLastAcceptedStateWhateverOrderTheOperationsArriveIn() throws Exception {
        // message 1: created, edited, deleted, arriving backwards
        queue.publish(operation(Type.DELETE, 1, 3, null));
        queue.publish(operation(Type.UPDATE, 1, 2, "edited"));
        queue.publish(operation(Type.CREATE, 1, 1, "original"));
        // message 2: the edit overtakes its create
        queue.publish(operation(Type.UPDATE, 2, 5, "edited two"));
        queue.publish(operation(Type.CREATE, 2, 4, "original two"));
        // message 3: an older edit arrives after a newer one
        queue.publish(operation(Type.CREATE, 3, 6, "original three"));
        queue.publish(operation(Type.UPDATE, 3, 8, "newest three"));
        queue.publish(operation(Type.UPDATE, 3, 7, "older three"));

        await().atMost(WITHIN).until(() -> db.count("messages WHERE created AND chat_id = " + chat) == 3);
        assertEquals(List.of(1L), db.longs("SELECT number FROM messages WHERE deleted AND chat_id = " + chat));
        assertEquals(List.of("edited two", "newest three"), db.strings(
                "SELECT body FROM messages WHERE created AND NOT deleted AND chat_id = " + chat + " ORDER BY number"));
        await().atMost(WITHIN).until(() -> db.count("chats WHERE messages_count = 2 AND id = " + chat) == 1);
    }

    @Test
    void shouldDeadLetterWhatCanNeverBeAppliedWithTheReasonAndKeepConsuming() throws Exception {
        queue.publish("not json at all".getBytes(StandardCharsets.UTF_8));
        queue.publish(new MessageOperation(Type.CREATE, application, chat, 1, 0, 1, "number 0", 1L, null));
        queue.publish(new MessageOperation(Type.CREATE, application, Long.MAX_VALUE, 1, 1, 1, "to nowhere", 1L, null));
        queue.publish(operation(Type.CREATE, 1, 1, "still consumed"));

        await().atMost(WITHIN).until(() -> db.count("messages WHERE chat_id = " + chat) == 1);
        List<OperationQueue.DeadLetter> letters = new ArrayList<>();
        await().atMost(WITHIN).until(() -> {
            letters.addAll(queue.drainDeadLetters());
            return letters.size() >= 3;
        });
        assertEquals(3, letters.size());
        assertTrue(letters.stream().anyMatch(letter -> letter.reason().startsWith("not a message operation")), letters.toString());
        assertTrue(letters.stream().anyMatch(letter -> letter.reason().startsWith("incomplete message operation")));
        assertTrue(letters.stream().anyMatch(letter -> letter.reason().startsWith("unknown chat " + Long.MAX_VALUE)));
        assertEquals("not json at all", new String(letters.stream()
                .filter(letter -> letter.reason().startsWith("not a message operation")).findFirst().orElseThrow().body(),
                StandardCharsets.UTF_8));
        // Each settled once: the dead letters by themselves, the one persisted by the batch's ack.
        await().atMost(WITHIN).until(() -> queue.unsettled() == 0);
    }

    @Test
    void shouldApplyTheOperationsOfOneBrokerMessageAndDeadLetterOnlyItsPoisonOnes() throws Exception {
        MessageOperation incomplete = new MessageOperation(Type.CREATE, application, chat, 1, 0, 1, "number 0", 1L, null);
        MessageOperation nowhere = new MessageOperation(Type.CREATE, application, Long.MAX_VALUE, 1, 1, 1, "to nowhere", 1L, null);
        String array = "[" + String.join(",", json(operation(Type.CREATE, 1, 1, "first")), json(incomplete), "42",
                json(nowhere), json(operation(Type.CREATE, 2, 2, "second"))) + "]";
        queue.publish(array.getBytes(StandardCharsets.UTF_8));
        queue.publish("[]".getBytes(StandardCharsets.UTF_8));
        queue.publish("[{\"type\": \"CREATE\"".getBytes(StandardCharsets.UTF_8));

        await().atMost(WITHIN).until(() -> db.count("messages WHERE chat_id = " + chat) == 2);
        List<OperationQueue.DeadLetter> letters = new ArrayList<>();
        await().atMost(WITHIN).until(() -> {
            letters.addAll(queue.drainDeadLetters());
            return letters.size() >= 4;
        });
        assertEquals(List.of("first", "second"), db.strings(
                "SELECT body FROM messages WHERE created AND chat_id = " + chat + " ORDER BY number"));
        // Each poison operation on its own, as it was in the array; the truncated message as it came.
        assertEquals(List.of(json(incomplete), "42", json(nowhere), "[{\"type\": \"CREATE\""),
                letters.stream().map(letter -> new String(letter.body(), StandardCharsets.UTF_8)).toList());
        assertTrue(letters.get(0).reason().startsWith("incomplete message operation"), letters.toString());
        assertTrue(letters.get(1).reason().startsWith("not a message operation"), letters.toString());
        assertTrue(letters.get(2).reason().startsWith("unknown chat " + Long.MAX_VALUE), letters.toString());
        assertTrue(letters.get(3).reason().startsWith("not a message operation"), letters.toString());
        await().atMost(WITHIN).until(() -> queue.unsettled() == 0);
        assertEquals(List.of(), queue.drainDeadLetters(), "each dead-lettered once");
    }

    @Test
    void shouldRedeliverOnlyTheMessageWhosePoisonCouldNotBeDeadLetteredUntilItCan() throws Exception {
        MessageOperation incomplete = new MessageOperation(Type.CREATE, application, chat, 1, 0, 1, "number 0", 1L, null);
        queue.deleteDeadLetterQueue();
        try {
            queue.publishTogether(operation(Type.CREATE, 1, 1, "first"));
            queue.publishTogether(operation(Type.CREATE, 2, 2, "second"), incomplete);
            queue.publishTogether(operation(Type.CREATE, 3, 3, "third"));

            await().atMost(WITHIN).until(() -> db.count("messages WHERE chat_id = " + chat) == 3);
            // The first and the third are acked; the second comes back, again and again, and is never acked.
            await().atMost(WITHIN).during(Duration.ofSeconds(3)).until(() -> queue.unsettled() == 1);
        } finally {
            queue.declare();
        }
        List<OperationQueue.DeadLetter> letters = new ArrayList<>();
        await().atMost(WITHIN).until(() -> {
            letters.addAll(queue.drainDeadLetters());
            return !letters.isEmpty();
        });
        await().atMost(WITHIN).until(() -> queue.unsettled() == 0);
        letters.addAll(queue.drainDeadLetters());
        assertEquals(List.of(json(incomplete)), letters.stream().map(letter -> new String(letter.body(), StandardCharsets.UTF_8)).toList());
        assertEquals(List.of("first", "second", "third"), db.strings(
                "SELECT body FROM messages WHERE created AND chat_id = " + chat + " ORDER BY number"));
    }

    private static String json(MessageOperation operation) {
        return new String(MessageCodec.encode(operation), StandardCharsets.UTF_8);
    }

    private MessageOperation operation(Type type, int number, long version, String body) {
        return testChat.operation(type, number, version, body);
    }
}
