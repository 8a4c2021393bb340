package io.chat.api.message.service;

import io.chat.api.async.Futures;
import io.chat.api.config.ApiConfig;
import io.chat.api.error.ServiceUnavailableException;
import io.chat.api.identity.Caller;
import io.chat.api.message.service.MessageAllocator.Allocation;
import io.chat.common.sql.SqlFailures;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Numbers for new messages, many requests to one transaction. Concurrent creates queue up; each of
 * a few lanes takes everything queued so far and allocates it in one short transaction
 * (ChatCounters: one locking read of the batch's chats, one update of their counters). A hot chat then
 * costs one transaction per batch instead of one per message, and so do a thousand quiet ones.
 * Requests for one chat get their numbers in the order they queued.
 */
@ApplicationScoped
public class MessageNumbers {

    private static final Logger LOG = Logger.getLogger(MessageNumbers.class);
    /** Transactions in flight at once per replica; whatever arrives meanwhile joins the next batch. */
    static final int LANES = 2;
    private static final Duration REPLACEMENT_DELAY = Duration.ofMillis(500);
    private static final int MAX_BATCH = 500;
    private static final int ATTEMPTS = 3;

    private record Request(ChatCounters.ChatName chat, CompletableFuture<Optional<Allocation>> result) {
    }

    private final DataSource database;
    private final Duration timeout;
    private final DistributionSummary batchSizes;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final ChatCounters counters = new ChatCounters();
    private final Map<Integer, Thread> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean running;

    @Inject
    public MessageNumbers(DataSource database, MeterRegistry metrics, ApiConfig config) {
        this(database, metrics, config.numbering().timeout());
    }

    MessageNumbers(DataSource database, MeterRegistry metrics, Duration timeout) {
        this.database = database;
        this.timeout = timeout;
        this.batchSizes = DistributionSummary.builder("chat.message.numbers.batch")
                .description("Requests for a message number served per locked transaction")
                .register(metrics);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        for (int i = 1; i <= LANES; i++) {
            startLane(i);
        }
    }

    /** How many lanes were started so far, replacements included (for tests). */
    int lanesStarted() {
        return started.get();
    }

    private void startLane(int lane) {
        started.incrementAndGet();
        Thread thread = new Thread(() -> serve(lane), "message-numbers-" + lane);
        thread.setDaemon(true);
        lanes.put(lane, thread);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        lanes.values().forEach(Thread::interrupt);
        List<Request> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(request -> request.result().completeExceptionally(
                new ServiceUnavailableException("shutting down", null)));
    }

    /** As {@link #nextAsync}, waiting for it. */
    public Optional<Allocation> next(Caller caller, int chatNumber) {
        return Futures.await(nextAsync(caller, chatNumber));
    }

    /**
     * The next number and version of a live chat, or empty when the application or chat does not
     * exist; completed by the lane that numbered it (what is composed on it runs there). Fails with
     * a 503 after the numbering timeout, and the request leaves the queue if no lane took it yet (if
     * one did, its number becomes a gap).
     */
    public CompletableFuture<Optional<Allocation>> nextAsync(Caller caller, int chatNumber) {
        if (!caller.reaches(chatNumber)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Request request = new Request(ChatCounters.ChatName.of(caller, chatNumber), new CompletableFuture<>());
        queue.add(request);
        return request.result().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((allocation, failure) -> {
            if (failure == null) {
                return allocation;
            }
            if (failure instanceof TimeoutException) {
                queue.remove(request);
                throw new ServiceUnavailableException("no message number within " + timeout, failure);
            }
            if (failure instanceof ServiceUnavailableException unavailable) {
                throw new ServiceUnavailableException(unavailable.getMessage(), unavailable.getCause());
            }
            throw new IllegalStateException("no message number: " + failure.getMessage(), failure);
        });
    }

    /**
     * A lane keeps its own connection, in a transaction always: no round trips to switch autocommit.
     * A lane that dies (an Error, say) fails the batch it holds with a 503 and is replaced, so that
     * creates never wait on a lane that is gone.
     */
    private void serve(int lane) {
        List<Request> batch = new ArrayList<>();
        Connection connection = null;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    break;
                }
                queue.drainTo(batch, MAX_BATCH - 1);
                connection = number(connection, batch);
                batchSizes.record(batch.size());
                batch.clear();
            }
        } catch (Throwable fatal) {
            LOG.errorf(fatal, "Message numbering lane %d died; replacing it in %s", lane, REPLACEMENT_DELAY);
            batch.forEach(request -> request.result().completeExceptionally(
                    new ServiceUnavailableException("the numbering lane failed", fatal)));
            // Not at once: a lane that dies at every batch (out of memory, say) must not spin.
            CompletableFuture.delayedExecutor(REPLACEMENT_DELAY.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (running) {
                    startLane(lane);
                }
            });
        } finally {
            discard(connection);
        }
    }

    /** Numbers the batch, retrying what is worth it; returns the connection to go on with, if any. */
    private Connection number(Connection connection, List<Request> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                if (connection == null) {
                    connection = database.getConnection();
                    connection.setAutoCommit(false);
                }
                List<Optional<Allocation>> allocations = counters.allocate(connection, batch.stream().map(Request::chat).toList());
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).result().complete(allocations.get(i));
                }
                return connection;
            } catch (SQLException | RuntimeException e) {
                connection = discard(connection);
                if (!worthRetrying(e, attempt)) {
                    batch.forEach(request -> request.result().completeExceptionally(e));
                    return null;
                }
            } catch (Error e) {
                discard(connection); // the lane dies of it (serve), never with a connection held
                throw e;
            }
        }
    }

    /**
     * A deadlock rolled everything back: the batch runs again, up to {@value #ATTEMPTS} times. A lost
     * connection (say, MySQL restarted since the last batch) may or may not have committed: the batch
     * runs once more on a new connection, since numbers are read under the lock every time (the worst
     * case is a gap); only once, so that while MySQL is down the queued requests get their 503 at once.
     */
    private static boolean worthRetrying(Exception e, int attempt) {
        return e instanceof SQLException sql
                && (SqlFailures.isDeadlock(sql) && attempt < ATTEMPTS || SqlFailures.isConnectionLost(sql) && attempt == 1);
    }

    private static Connection discard(Connection connection) {
        if (connection != null) {
            try {
                connection.rollback();
                connection.close();
            } catch (SQLException e) {
                // already broken: the pool drops it
            }
        }
        return null;
    }
}
