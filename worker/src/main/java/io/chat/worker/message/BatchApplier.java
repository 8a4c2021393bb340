package io.chat.worker.message;

import io.chat.common.messaging.MessageCodec;
import io.chat.common.messaging.MessageOperation;
import io.chat.common.messaging.OperationCounters;
import io.chat.common.metrics.Latencies;
import io.chat.common.sql.SqlFailures;
import io.chat.worker.config.WorkerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Applies a batch of operation payloads to MySQL and says, for each, whether it is persisted or must
 * be dead-lettered: what the consumer does with its deliveries. Retries while MySQL is down; isolates
 * an operation that can never be written by applying the batch one at a time. Every commit is a
 * {@link BatchCommitted} event.
 */
@ApplicationScoped
public class BatchApplier {

    private static final Logger LOG = Logger.getLogger(BatchApplier.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    /** Why an operation is dead-lettered: the tag kind of chat_message_operations_dead_lettered_total. */
    public enum DeadLetter {
        PAYLOAD("payload"), UNKNOWN_CHAT("unknown_chat"), WRITE("write");

        public final String tag;

        DeadLetter(String tag) {
            this.tag = tag;
        }
    }

    /** What became of one payload: persisted (deadLetter null), or to be dead-lettered, with why. */
    public record Outcome(DeadLetter deadLetter, String reason) {

        static final Outcome PERSISTED = new Outcome(null, null);

        public boolean persisted() {
            return deadLetter == null;
        }
    }

    private final OperationWriter writer;
    private final Event<BatchCommitted> committed;
    private final int maxAttempts;
    private final OperationCounters persisted;
    private final Timer delay;

    public BatchApplier(OperationWriter writer, Event<BatchCommitted> committed, WorkerConfig config, MeterRegistry metrics) {
        this.writer = writer;
        this.committed = committed;
        this.maxAttempts = config.consumer().maxAttempts();
        this.persisted = new OperationCounters(metrics, "chat.message.operations.persisted",
                "Message operations committed to MySQL");
        this.delay = Latencies.timer(metrics, "chat.message.operations.delay",
                "From the API's acceptance of a message operation to its commit in MySQL");
    }

    /**
     * The outcome of each payload, in their order.
     *
     * @param running false once the worker stops: waiting for MySQL then ends with an InterruptedException
     */
    public Outcome[] apply(List<byte[]> payloads, BooleanSupplier running) throws InterruptedException {
        Outcome[] outcomes = new Outcome[payloads.size()];
        List<Integer> decoded = new ArrayList<>();
        List<MessageOperation> operations = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            try {
                operations.add(MessageCodec.decode(payloads.get(i)));
                decoded.add(i);
            } catch (MessageCodec.InvalidPayloadException e) {
                outcomes[i] = new Outcome(DeadLetter.PAYLOAD, e.getMessage());
            }
        }
        if (operations.isEmpty()) {
            return outcomes;
        }
        try {
            settle(operations, applyRetryingOutages(operations, running), outcomes, decoded);
        } catch (SQLException permanent) {
            // Something in the batch can never be written: find it by applying one at a time.
            for (int i = 0; i < operations.size(); i++) {
                outcomes[decoded.get(i)] = applyAlone(operations.get(i), running);
            }
        }
        return outcomes;
    }

    private Outcome applyAlone(MessageOperation operation, BooleanSupplier running) throws InterruptedException {
        String reason = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                Outcome[] outcome = new Outcome[1];
                settle(List.of(operation), applyRetryingOutages(List.of(operation), running), outcome, List.of(0));
                return outcome[0];
            } catch (SQLException e) {
                reason = "cannot be written (attempt " + attempt + "): " + e.getMessage();
                pause(100L * attempt, running);
            }
        }
        return new Outcome(DeadLetter.WRITE, reason);
    }

    /** Retries while MySQL is down; throws only a permanent failure. */
    private OperationWriter.Applied applyRetryingOutages(List<MessageOperation> operations, BooleanSupplier running)
            throws SQLException, InterruptedException {
        long backoff = 200;
        while (true) {
            try {
                return writer.apply(operations);
            } catch (SQLException e) {
                if (SqlFailures.isPermanent(e)) {
                    throw e;
                }
                LOG.warnf("Could not write the batch for now (%s); retrying it in %d ms", e.getMessage(), backoff);
                if (!pause(backoff, running)) {
                    throw new InterruptedException("stopping");
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    /** After a commit: each operation's outcome, then the commit's event. */
    private void settle(List<MessageOperation> operations, OperationWriter.Applied applied, Outcome[] outcomes,
            List<Integer> positions) {
        Set<Long> written = new HashSet<>();
        for (int i = 0; i < operations.size(); i++) {
            MessageOperation operation = operations.get(i);
            if (applied.unknownChats().contains(operation.chatId())) {
                outcomes[positions.get(i)] = new Outcome(DeadLetter.UNKNOWN_CHAT, "unknown chat " + operation.chatId()
                        + " (never created, or deleted and purged)");
            } else {
                outcomes[positions.get(i)] = Outcome.PERSISTED;
                written.add(operation.chatId());
                persisted.increment(operation.type());
                Latencies.recordSince(delay, Instant.ofEpochMilli(operation.at()));
            }
        }
        try {
            committed.fire(new BatchCommitted(written, applied.events()));
        } catch (RuntimeException e) {
            LOG.error("A step after a commit failed (the commit stands)", e);
        }
    }

    private static boolean pause(long millis, BooleanSupplier running) throws InterruptedException {
        Thread.sleep(millis);
        return running.getAsBoolean();
    }
}
