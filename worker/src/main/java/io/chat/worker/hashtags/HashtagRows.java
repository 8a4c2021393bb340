package io.chat.worker.hashtags;

import io.chat.common.text.Hashtags;
import io.chat.worker.events.ChatEventLog.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps message_hashtags (V6) equal to the hashtags of every visible message's current body: in the
 * transaction that changes the messages, from the changes their events describe. Rows of tags a
 * message lost go, rows of tags it gained come; a message whose visible body did not change (a
 * redelivery, say) touches nothing.
 */
public final class HashtagRows {

    private HashtagRows() {
    }

    public static void write(Connection connection, List<Change> changes) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM message_hashtags WHERE chat_id = ? AND number = ? AND hashtag = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT IGNORE INTO message_hashtags (chat_id, number, hashtag) VALUES (?, ?, ?)")) {
            boolean deletes = false;
            boolean inserts = false;
            for (Change change : changes) {
                Set<String> before = new HashSet<>(Hashtags.in(change.before()));
                Set<String> after = new HashSet<>(Hashtags.in(change.after()));
                for (String gone : before) {
                    if (!after.contains(gone)) {
                        bind(delete, change, gone);
                        deletes = true;
                    }
                }
                for (String added : after) {
                    if (!before.contains(added)) {
                        bind(insert, change, added);
                        inserts = true;
                    }
                }
            }
            if (deletes) {
                delete.executeBatch();
            }
            if (inserts) {
                insert.executeBatch();
            }
        }
    }

    /**
     * Rewrites the hashtag rows of a chat's messages numbered {@code first} to {@code last} from
     * their bodies (bin/reindex: for messages persisted before V6). Under the chat's stream lock,
     * which every batch touching the chat takes first, so no write to those messages interleaves; in
     * one transaction, so a reader sees the old rows or the new ones. Returns how many rows they have now.
     */
    public static int rebuild(Connection connection, long chatId, int first, int last) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement lock = connection.prepareStatement(
                "INSERT INTO chat_streams (chat_id, last_seq) VALUES (?, 0) ON DUPLICATE KEY UPDATE last_seq = last_seq");
                PreparedStatement clear = connection.prepareStatement(
                        "DELETE FROM message_hashtags WHERE chat_id = ? AND number BETWEEN ? AND ?");
                PreparedStatement select = connection.prepareStatement("SELECT number, body FROM messages WHERE chat_id = ?"
                        + " AND number BETWEEN ? AND ? AND created = TRUE AND deleted = FALSE AND body LIKE '%#%'");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO message_hashtags (chat_id, number, hashtag) VALUES (?, ?, ?)")) {
            lock.setLong(1, chatId);
            lock.executeUpdate();
            for (PreparedStatement range : List.of(clear, select)) {
                range.setLong(1, chatId);
                range.setInt(2, first);
                range.setInt(3, last);
            }
            clear.executeUpdate();
            int rows = 0;
            try (ResultSet messages = select.executeQuery()) {
                while (messages.next()) {
                    for (String hashtag : Hashtags.in(messages.getString(2))) {
                        insert.setLong(1, chatId);
                        insert.setInt(2, messages.getInt(1));
                        insert.setString(3, hashtag);
                        insert.addBatch();
                        rows++;
                    }
                }
            }
            insert.executeBatch();
            connection.commit();
            return rows;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void bind(PreparedStatement statement, Change change, String hashtag) throws SQLException {
        statement.setLong(1, change.chatId());
        statement.setInt(2, change.number());
        statement.setString(3, hashtag);
        statement.addBatch();
    }
}
