package io.chat.worker.purge;

import io.agroal.api.AgroalDataSource;
import io.chat.common.Timestamps;
import io.chat.worker.search.SearchEngine;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Removes what DELETE marked: the messages and chats of deleted chats and applications. Every step is
 * idempotent and commits in small batches, so a crash or a second worker running it at the same
 * time does no harm; the next run carries on.
 */
@ApplicationScoped
public class PurgeJob {

    private static final Logger LOG = Logger.getLogger(PurgeJob.class);
    private static final int ROWS_PER_RUN = 100;

    private final AgroalDataSource dataSource;
    private final PurgeConfig config;
    private final SearchEngine search;

    public PurgeJob(AgroalDataSource dataSource, PurgeConfig config, SearchEngine search) {
        this.dataSource = dataSource;
        this.config = config;
        this.search = search;
    }

    @Scheduled(every = "${chat.purge.interval}", delayed = "${chat.purge.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void run() {
        try (Connection connection = dataSource.getConnection()) {
            List<Long> applications = ids(connection,
                    "SELECT id FROM applications WHERE purged_at IS NULL AND deleted_at IS NOT NULL LIMIT " + ROWS_PER_RUN);
            for (long application : applications) {
                markChatsDeleted(connection, application);
            }
            for (long chat : ids(connection, "SELECT id FROM chats WHERE deleted_at IS NOT NULL LIMIT " + ROWS_PER_RUN)) {
                purgeChat(connection, chat);
            }
            for (long application : applications) {
                finishApplication(connection, application);
            }
        } catch (SQLException | IOException e) {
            LOG.warnf("Purge run failed, the next one carries on: %s", e.getMessage());
        }
    }

    private void markChatsDeleted(Connection connection, long application) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE chats SET deleted_at = ? WHERE application_id = ? AND deleted_at IS NULL")) {
            update.setString(1, Timestamps.toSql(Timestamps.now()));
            update.setLong(2, application);
            update.executeUpdate();
        }
    }

    private void purgeChat(Connection connection, long chat) throws SQLException, IOException {
        for (String table : List.of("messages", "message_hashtags", "chat_events")) {
            try (PreparedStatement rows = connection.prepareStatement("DELETE FROM " + table + " WHERE chat_id = ? LIMIT ?")) {
                rows.setLong(1, chat);
                rows.setInt(2, config.batchSize());
                while (rows.executeUpdate() == config.batchSize()) {
                    // one short autocommitted batch at a time
                }
            }
        }
        // If the search engine is down this throws, the chat stays marked, and the next run retries.
        search.deleteChat(chat);
        // The worker share-locks a chat while it writes the chat's messages: locking the row here
        // waits for those writes, so the final sweep catches them and none is left behind. Outbox
        // rows of messages already gone only delete documents, so none is indexed again.
        connection.setAutoCommit(false);
        try (PreparedStatement lock = connection.prepareStatement("SELECT id FROM chats WHERE id = ? FOR UPDATE");
                PreparedStatement sweep = connection.prepareStatement("DELETE FROM messages WHERE chat_id = ?");
                PreparedStatement sweepHashtags = connection.prepareStatement("DELETE FROM message_hashtags WHERE chat_id = ?");
                PreparedStatement sweepEvents = connection.prepareStatement("DELETE FROM chat_events WHERE chat_id = ?");
                PreparedStatement stream = connection.prepareStatement("DELETE FROM chat_streams WHERE chat_id = ?");
                PreparedStatement delete = connection.prepareStatement("DELETE FROM chats WHERE id = ? AND deleted_at IS NOT NULL")) {
            lock.setLong(1, chat);
            lock.executeQuery().close();
            sweep.setLong(1, chat);
            sweep.executeUpdate();
            sweepHashtags.setLong(1, chat);
            sweepHashtags.executeUpdate();
            sweepEvents.setLong(1, chat);
            sweepEvents.executeUpdate();
            stream.setLong(1, chat);
            stream.executeUpdate();
            delete.setLong(1, chat);
            delete.executeUpdate();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Once no chat is left, the application stays only as a tombstone that keeps its token unused. */
    private void finishApplication(Connection connection, long application) throws SQLException {
        try (PreparedStatement finish = connection.prepareStatement(
                "UPDATE applications SET purged_at = ?, name = '' WHERE id = ? AND purged_at IS NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM chats WHERE application_id = ?)")) {
            finish.setString(1, Timestamps.toSql(Timestamps.now()));
            finish.setLong(2, application);
            finish.setLong(3, application);
            finish.executeUpdate();
        }
    }

    private static List<Long> ids(Connection connection, String sql) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }
}
