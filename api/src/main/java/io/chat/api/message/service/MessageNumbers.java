package io.chat.api.message.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chat.api.config.ApiConfig;
import io.chat.api.error.ServiceUnavailableException;
import io.chat.api.identity.Caller;
import io.chat.api.message.service.MessageAllocator.Allocation;
import io.chat.common.Tokens;
import io.chat.common.sql.SqlFailures;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Numbers for new messages, many requests to one transaction. Concurrent creates queue up; each of
 * a few lanes takes everything queued so far and allocates it in one short transaction: it locks
 * every chat of the batch with one {@code SELECT … FOR UPDATE} (in primary key order, as every
 * multi-row update of chats does, so replicas and the worker do not deadlock), moves each chat's
 * counters past the numbers it hands out with one {@code UPDATE}, and commits. A hot chat then
 * costs one transaction per batch instead of one per message, and so do a thousand quiet ones.
 * Requests for one chat get their numbers in the order they queued.
 */
@ApplicationScoped
public class MessageNumbers {

    /** Transactions in flight at once per replica; whatever arrives meanwhile joins the next batch. */
    private static final Logger LOG = Logger.getLogger(MessageNumbers.class);
    private static final int LANES = 2;
    private static final int MAX_BATCH = 500;
    private static final int ATTEMPTS = 3;

    /** A chat as callers name it: by its application's token, or (user tokens) by its application's id. */
    private record ChatName(String token, Long applicationId, int number) {

        static ChatName of(Caller caller, int number) {
            return caller instanceof Caller.User user
                    ? new ChatName(null, user.applicationId(), number)
                    : new ChatName(((Caller.Application) caller).token(), null, number);
        }

        ChatName application() {
            return new ChatName(token, applicationId, 0);
        }
    }

    private record Request(ChatName chat, CompletableFuture<Optional<Allocation>> result) {
    }

    private static final class LockedChat {
        final long id;
        final long applicationId;
        int lastMessageNumber;
        long lastVersion;

        LockedChat(long id, long applicationId, int lastMessageNumber, long lastVersion) {
            this.id = id;
            this.applicationId = applicationId;
            this.lastMessageNumber = lastMessageNumber;
            this.lastVersion = lastVersion;
        }
    }

    private final DataSource database;
    private final Duration timeout;
    private final DistributionSummary batchSizes;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    /**
     * A chat's id never changes and is never given to another chat, so it is kept once found.
     * Whether the chat and its application are still live is checked under the lock, every time.
     */
    private final Cache<ChatName, Long> chatIds = Caffeine.newBuilder().maximumSize(100_000).build();
    private final Map<Integer, Thread> lanes = new ConcurrentHashMap<>();
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

    private void startLane(int lane) {
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

    /**
     * The next number and version of a live chat, or empty when the application or chat does not
     * exist. Waits at most the numbering timeout: a 503 then, and the request leaves the queue if no
     * lane took it yet (if one did, its number becomes a gap).
     */
    public Optional<Allocation> next(Caller caller, int chatNumber) {
        if (!caller.reaches(chatNumber)) {
            return Optional.empty();
        }
        Request request = new Request(ChatName.of(caller, chatNumber), new CompletableFuture<>());
        queue.add(request);
        try {
            return request.result().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            queue.remove(request);
            throw new ServiceUnavailableException("no message number within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException("interrupted while waiting for a message number", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServiceUnavailableException unavailable) {
                throw new ServiceUnavailableException(unavailable.getMessage(), unavailable.getCause());
            }
            throw new IllegalStateException("no message number: " + e.getCause().getMessage(), e.getCause());
        }
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
            LOG.errorf(fatal, "Message numbering lane %d died; replacing it", lane);
            batch.forEach(request -> request.result().completeExceptionally(
                    new ServiceUnavailableException("the numbering lane failed", fatal)));
            if (running) {
                startLane(lane);
            }
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
                List<Optional<Allocation>> allocations = allocate(connection, batch);
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

    private List<Optional<Allocation>> allocate(Connection connection, List<Request> batch) throws SQLException {
        Map<ChatName, Long> ids = resolve(connection, batch.stream().map(Request::chat).collect(Collectors.toSet()));
        Map<Long, LockedChat> locked = lock(connection, ids.values());
        List<Optional<Allocation>> allocations = new ArrayList<>(batch.size());
        for (Request request : batch) {
            Long id = ids.get(request.chat());
            LockedChat chat = id == null ? null : locked.get(id);
            if (chat == null) {
                allocations.add(Optional.empty());
                continue;
            }
            chat.lastMessageNumber++;
            chat.lastVersion++;
            allocations.add(Optional.of(new Allocation(chat.applicationId, chat.id, request.chat().number(),
                    chat.lastMessageNumber, chat.lastVersion, null)));
        }
        update(connection, locked.values());
        connection.commit();
        return allocations;
    }

    /** Chat ids by name, from the cache or, for the rest, one query per application. */
    private Map<ChatName, Long> resolve(Connection connection, Set<ChatName> names) throws SQLException {
        Map<ChatName, Long> ids = new HashMap<>(chatIds.getAllPresent(names));
        Map<ChatName, List<ChatName>> missing = names.stream().filter(name -> !ids.containsKey(name))
                .collect(Collectors.groupingBy(ChatName::application, LinkedHashMap::new, Collectors.toList()));
        for (Map.Entry<ChatName, List<ChatName>> application : missing.entrySet()) {
            ChatName named = application.getKey();
            String sql = "SELECT c.number, c.id FROM chats c JOIN applications a ON a.id = c.application_id"
                    + " WHERE " + (named.token() != null ? "a.token_hash = ?" : "a.id = ?")
                    + " AND c.number IN (" + placeholders(application.getValue().size()) + ")";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                if (named.token() != null) {
                    select.setBytes(1, Tokens.hash(named.token()));
                } else {
                    select.setLong(1, named.applicationId());
                }
                int index = 2;
                for (ChatName name : application.getValue()) {
                    select.setInt(index++, name.number());
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ChatName name = new ChatName(named.token(), named.applicationId(), rows.getInt(1));
                        ids.put(name, rows.getLong(2));
                        chatIds.put(name, rows.getLong(2));
                    }
                }
            }
        }
        return ids;
    }

    /** Locks the live chats of live applications among {@code ids}, in primary key order. */
    private static Map<Long, LockedChat> lock(Connection connection, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Collections.emptyMap();
        }
        List<Long> ordered = ids.stream().distinct().sorted().toList();
        String sql = "SELECT c.id, c.application_id, c.last_message_number, c.last_version FROM chats c"
                + " WHERE c.id IN (" + placeholders(ordered.size()) + ") AND c.deleted_at IS NULL"
                + " AND EXISTS (SELECT 1 FROM applications a WHERE a.id = c.application_id AND a.deleted_at IS NULL)"
                + " ORDER BY c.id FOR UPDATE";
        Map<Long, LockedChat> locked = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < ordered.size(); i++) {
                select.setLong(i + 1, ordered.get(i));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    locked.put(rows.getLong(1), new LockedChat(rows.getLong(1), rows.getLong(2), rows.getInt(3), rows.getLong(4)));
                }
            }
        }
        return locked;
    }

    /** One UPDATE moves every locked chat's counters to the last number and version handed out. */
    private static void update(Connection connection, Collection<LockedChat> chats) throws SQLException {
        if (chats.isEmpty()) {
            return;
        }
        String cases = " WHEN ? THEN ?".repeat(chats.size());
        String sql = "UPDATE chats SET last_message_number = CASE id" + cases + " END, last_version = CASE id" + cases
                + " END WHERE id IN (" + placeholders(chats.size()) + ")";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            int index = 1;
            for (LockedChat chat : chats) {
                update.setLong(index++, chat.id);
                update.setInt(index++, chat.lastMessageNumber);
            }
            for (LockedChat chat : chats) {
                update.setLong(index++, chat.id);
                update.setLong(index++, chat.lastVersion);
            }
            for (LockedChat chat : chats) {
                update.setLong(index++, chat.id);
            }
            update.executeUpdate();
        }
    }

    private static String placeholders(int count) {
        return String.join(",", Collections.nCopies(count, "?"));
    }
}
