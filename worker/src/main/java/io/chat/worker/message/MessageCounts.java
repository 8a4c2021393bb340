package io.chat.worker.message;

import jakarta.enterprise.event.Observes;
import io.agroal.api.AgroalDataSource;
import io.chat.worker.cache.ListInvalidator;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Keeps chats.messages_count and applications.chats_count true. Chats written to are recounted
 * every second (one UPDATE for all of them); a full reconciliation, run by one worker at a time
 * under a MySQL named lock, recounts everything, so the one-hour bound holds even when a worker
 * crashed with recounts pending. Each count is computed inside its UPDATE, under the row lock.
 */
@ApplicationScoped
public class MessageCounts {

    private static final Logger LOG = Logger.getLogger(MessageCounts.class);
    private static final int CHUNK = 500;
    private static final String COUNT_MESSAGES = "UPDATE chats c SET messages_count = (SELECT COUNT(*) FROM messages m"
            + " WHERE m.chat_id = c.id AND m.created AND NOT m.deleted) WHERE ";

    private final AgroalDataSource dataSource;
    private final ListInvalidator lists;
    private final Set<Long> dirty = ConcurrentHashMap.newKeySet();

    public MessageCounts(AgroalDataSource dataSource, ListInvalidator lists) {
        this.dataSource = dataSource;
        this.lists = lists;
    }

    void committed(@Observes BatchCommitted batch) {
        dirty.addAll(batch.chats());
    }

    @Scheduled(every = "${chat.counts.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void recountTouched() {
        if (dirty.isEmpty()) {
            return;
        }
        List<Long> chats = new ArrayList<>(dirty);
        dirty.removeAll(chats);
        String ids = chats.stream().map(String::valueOf).collect(Collectors.joining(","));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(COUNT_MESSAGES + "c.id IN (" + ids + ")");
                PreparedStatement applications = connection.prepareStatement(
                        "SELECT DISTINCT application_id FROM chats WHERE id IN (" + ids + ")")) {
            update.executeUpdate();
            List<Long> changed = new ArrayList<>();
            try (ResultSet rows = applications.executeQuery()) {
                while (rows.next()) {
                    changed.add(rows.getLong(1));
                }
            }
            lists.chatsOf(changed); // their chat lists show messages_count
        } catch (SQLException e) {
            dirty.addAll(chats); // next run tries again; reconciliation is the backstop
            LOG.warnf("Recounting messages failed, will retry: %s", e.getMessage());
        }
    }

    @Scheduled(every = "${chat.counts.reconcile-interval}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void reconcile() {
        try (Connection connection = dataSource.getConnection()) {
            if (!tryLock(connection)) {
                return; // another worker is reconciling
            }
            try {
                recountInChunks(connection, "chats", COUNT_MESSAGES + "c.id BETWEEN ? AND ?");
                recountInChunks(connection, "applications", "UPDATE applications a SET chats_count = (SELECT COUNT(*)"
                        + " FROM chats c WHERE c.application_id = a.id AND c.deleted_at IS NULL)"
                        + " WHERE a.deleted_at IS NULL AND a.id BETWEEN ? AND ?");
            } finally {
                try (PreparedStatement release = connection.prepareStatement("SELECT RELEASE_LOCK('chat.reconcile')")) {
                    release.execute();
                }
            }
        } catch (SQLException e) {
            LOG.warnf("Reconciliation failed, the next run carries on: %s", e.getMessage());
        }
    }

    private static boolean tryLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT GET_LOCK('chat.reconcile', 0)");
                ResultSet result = lock.executeQuery()) {
            return result.next() && result.getInt(1) == 1;
        }
    }

    /** One short autocommitted UPDATE per range of ids, so no lock is held for long. */
    private static void recountInChunks(Connection connection, String table, String update) throws SQLException {
        long maxId;
        try (PreparedStatement max = connection.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM " + table);
                ResultSet result = max.executeQuery()) {
            result.next();
            maxId = result.getLong(1);
        }
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            for (long from = 1; from <= maxId; from += CHUNK) {
                statement.setLong(1, from);
                statement.setLong(2, from + CHUNK - 1);
                statement.executeUpdate();
            }
        }
    }
}
