package io.chat.worker.message;

import io.agroal.api.AgroalDataSource;
import io.chat.common.Timestamps;
import io.chat.common.events.ChatEvent;
import io.chat.common.messaging.MessageOperation;
import io.chat.worker.events.ChatEventLog;
import io.chat.worker.hashtags.HashtagRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies a batch of operations to MySQL in one transaction: one batched upsert (sent as one
 * multi-row INSERT). Applying is idempotent and order-independent: a row keeps the newest version
 * of its body, remembers that its create was applied (and the sender it named), and a delete is final. So a redelivery, or
 * operations on one message applied by several workers in any order, end in the same state. The
 * same transaction appends the batch's events to their chats' streams ({@link ChatEventLog}) and
 * rewrites the hashtag rows of the messages they changed ({@link HashtagRows}).
 */
@ApplicationScoped
public class OperationWriter {

    /** ON DUPLICATE KEY UPDATE assigns left to right: every condition reads the old version and deleted. */
    private static final String UPSERT = """
            INSERT INTO messages (chat_id, number, body, version, created, deleted, created_at, updated_at, sender)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON DUPLICATE KEY UPDATE
              created_at = COALESCE(created_at, VALUES(created_at)),
              sender = COALESCE(sender, VALUES(sender)),
              created = created OR VALUES(created),
              body = IF(VALUES(version) > version AND NOT deleted AND NOT VALUES(deleted), VALUES(body), body),
              updated_at = IF(VALUES(version) > version AND NOT deleted, VALUES(updated_at), updated_at),
              deleted = deleted OR VALUES(deleted),
              version = GREATEST(version, VALUES(version))""";

    private static final Comparator<MessageOperation> KEY_ORDER = Comparator.comparingLong(MessageOperation::chatId)
            .thenComparingInt(MessageOperation::number).thenComparingLong(MessageOperation::version);

    private final AgroalDataSource dataSource;

    public OperationWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * What a committed batch did.
     *
     * @param unknownChats the chats that do not exist (never created, or deleted and purged): their
     *        operations were left unapplied
     * @param events the events the batch appended, in each chat's order
     */
    public record Applied(Set<Long> unknownChats, List<ChatEvent> events) {
    }

    /**
     * Applies the operations whose chat exists, with their events. The chats are share-locked until
     * commit, so a purge cannot remove a chat between this check and these inserts.
     */
    public Applied apply(List<MessageOperation> operations) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Set<Long> unknown = missingChats(connection, operations);
                // In key order, as Reindex queues outbox rows: two transactions that lock rows of one
                // chat in opposite orders would deadlock (the indexer's claim skips locked rows, never waits).
                List<MessageOperation> known = operations.stream().filter(operation -> !unknown.contains(operation.chatId()))
                        .sorted(KEY_ORDER).toList();
                ChatEventLog events = ChatEventLog.open(connection, known);
                if (!known.isEmpty()) {
                    try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
                        for (MessageOperation operation : known) {
                            bind(upsert, operation);
                            upsert.addBatch();
                        }
                        upsert.executeBatch();
                    }
                    queueForSearch(connection, known);
                }
                List<ChatEvent> appended = events.append();
                HashtagRows.write(connection, events.changes());
                connection.commit();
                return new Applied(unknown, appended);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * The durable record that the search index must catch up with these messages: same transaction.
     * A row a reindex queued becomes a live one, indexed ahead of the rest of the reindex.
     */
    private static void queueForSearch(Connection connection, List<MessageOperation> operations) throws SQLException {
        try (PreparedStatement outbox = connection.prepareStatement(
                "INSERT INTO search_outbox (chat_id, number) VALUES (?, ?) ON DUPLICATE KEY UPDATE reindex = FALSE")) {
            for (MessageOperation operation : operations) {
                outbox.setLong(1, operation.chatId());
                outbox.setInt(2, operation.number());
                outbox.addBatch();
            }
            outbox.executeBatch();
        }
    }

    private static Set<Long> missingChats(Connection connection, List<MessageOperation> operations) throws SQLException {
        Set<Long> chats = operations.stream().map(MessageOperation::chatId).collect(Collectors.toSet());
        String placeholders = chats.stream().map(id -> "?").collect(Collectors.joining(","));
        Set<Long> found = new HashSet<>();
        // LOCK IN SHARE MODE: the spelling MySQL 8 and MariaDB both accept.
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM chats WHERE id IN (" + placeholders + ") LOCK IN SHARE MODE")) {
            int index = 1;
            for (long chat : chats) {
                select.setLong(index++, chat);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getLong(1));
                }
            }
        }
        chats.removeAll(found);
        return chats;
    }

    private static void bind(PreparedStatement upsert, MessageOperation operation) throws SQLException {
        boolean create = operation.type() == MessageOperation.Type.CREATE;
        boolean delete = operation.type() == MessageOperation.Type.DELETE;
        String at = Timestamps.toSql(Instant.ofEpochMilli(operation.at()));
        upsert.setLong(1, operation.chatId());
        upsert.setInt(2, operation.number());
        upsert.setString(3, delete ? "" : operation.body());
        upsert.setLong(4, operation.version());
        upsert.setBoolean(5, create);
        upsert.setBoolean(6, delete);
        upsert.setString(7, create ? at : null);
        upsert.setString(8, at);
        // Only a create names the sender; an edit that overtook it leaves it to the create.
        upsert.setString(9, create ? operation.sender() : null);
    }
}
