package io.chat.worker.hashtags;

import io.chat.common.text.Hashtags;
import io.chat.worker.events.ChatEventLog.Change;
import java.sql.Connection;
import java.sql.PreparedStatement;
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

    private static void bind(PreparedStatement statement, Change change, String hashtag) throws SQLException {
        statement.setLong(1, change.chatId());
        statement.setInt(2, change.number());
        statement.setString(3, hashtag);
        statement.addBatch();
    }
}
