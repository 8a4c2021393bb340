package io.chat.worker.hashtags;

import io.chat.common.text.Hashtags;
import io.chat.worker.events.ChatEventLog.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keeps message_hashtags (V6) equal to the hashtags of every visible message's current body: in the
 * transaction that changes the messages, from the changes their events describe. Rows of tags a
 * message lost go, rows of tags it gained come; a message whose visible body did not change (a
 * redelivery, say) touches nothing.
 */
public final class HashtagRows {

    /** A row of message_hashtags, ordered as its primary key. */
    private record Row(long chatId, int number, String hashtag) implements Comparable<Row> {

        private static final Comparator<Row> KEY = Comparator.comparingLong(Row::chatId).thenComparingInt(Row::number)
                .thenComparing(Row::hashtag, HashtagRows::compareBytes);

        @Override
        public int compareTo(Row other) {
            return KEY.compare(this, other);
        }
    }

    private HashtagRows() {
    }

    public static void write(Connection connection, List<Change> changes) throws SQLException {
        // In primary key order, as every other multi-row write of the batch: two transactions that
        // lock rows of one chat in opposite orders (a batch and the purge, say) would deadlock.
        TreeMap<Row, Boolean> writes = new TreeMap<>();
        for (Change change : changes) {
            Set<String> before = new HashSet<>(Hashtags.in(change.before()));
            Set<String> after = new HashSet<>(Hashtags.in(change.after()));
            before.stream().filter(tag -> !after.contains(tag))
                    .forEach(tag -> writes.put(new Row(change.chatId(), change.number(), tag), false));
            after.stream().filter(tag -> !before.contains(tag))
                    .forEach(tag -> writes.put(new Row(change.chatId(), change.number(), tag), true));
        }
        if (writes.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM message_hashtags WHERE chat_id = ? AND number = ? AND hashtag = ?");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO message_hashtags (chat_id, number, hashtag)"
                        + " VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE hashtag = hashtag")) {
            for (Map.Entry<Row, Boolean> write : writes.entrySet()) {
                PreparedStatement statement = write.getValue() ? insert : delete;
                statement.setLong(1, write.getKey().chatId());
                statement.setInt(2, write.getKey().number());
                statement.setString(3, write.getKey().hashtag());
                statement.addBatch();
            }
            delete.executeBatch();
            insert.executeBatch();
        }
    }

    /**
     * Rewrites the hashtag rows of a chat's messages numbered {@code first} to {@code last} from
     * their bodies (bin/reindex: for messages persisted before V6). Takes the locks a batch takes, in
     * its order (the chat's row shared, then its stream's), so no write to those messages interleaves
     * and none deadlocks with it, and a chat the purge is removing is left to it. In one transaction,
     * so a reader sees the old rows or the new ones. Returns how many rows they have now.
     */
    public static int rebuild(Connection connection, long chatId, int first, int last) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement chat = connection.prepareStatement(
                "SELECT id FROM chats WHERE id = ? AND deleted_at IS NULL LOCK IN SHARE MODE");
                PreparedStatement lock = connection.prepareStatement(
                "INSERT INTO chat_streams (chat_id, last_seq) VALUES (?, 0) ON DUPLICATE KEY UPDATE last_seq = last_seq");
                PreparedStatement clear = connection.prepareStatement(
                        "DELETE FROM message_hashtags WHERE chat_id = ? AND number BETWEEN ? AND ?");
                PreparedStatement select = connection.prepareStatement("SELECT number, body FROM messages WHERE chat_id = ?"
                        + " AND number BETWEEN ? AND ? AND created = TRUE AND deleted = FALSE AND body LIKE '%#%'");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO message_hashtags (chat_id, number, hashtag) VALUES (?, ?, ?)")) {
            chat.setLong(1, chatId);
            try (ResultSet live = chat.executeQuery()) {
                if (!live.next()) {
                    connection.rollback();
                    return 0; // deleted: the purge removes its rows
                }
            }
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

    /** utf8mb4_bin's order: by UTF-8 bytes, which is the order of code points. */
    private static int compareBytes(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }
}
