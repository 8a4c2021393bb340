package io.chat.worker.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.common.Timestamps;
import io.chat.common.events.ChatEvent;
import io.chat.common.messaging.MessageOperation;
import io.chat.common.text.Hashtags;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The events of one batch transaction, appended to chat_events before it commits (V5 explains the
 * tables). {@link #open} locks the streams of the batch's chats, in key order, and reads what
 * clients could see of its messages; after the batch's upsert, {@link #append} reads them again and
 * appends one event per message whose visible state changed: it appeared (created), changed
 * (updated) or disappeared (deleted). So an operation that changes nothing a client sees (a
 * redelivery, an edit overtaken by a newer one, an edit or delete applied before its create)
 * appends nothing, and several operations on one message in one batch make one event, with its
 * state at the commit. Within a chat, the events of a batch follow the versions of their operations.
 */
public final class ChatEventLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Key(long chat, int number) {
    }

    private record Row(boolean visible, long version, String body, String sender, String createdAt, String updatedAt) {
    }

    /**
     * A message whose visible state the batch changed, with its visible body before and after (null:
     * not visible), for what is derived from bodies in the same transaction (the hashtag rows).
     */
    public record Change(long chatId, int number, String before, String after) {
    }

    private final Connection connection;
    private final Map<Long, TreeSet<Integer>> numbersByChat = new TreeMap<>();
    private final Map<Key, Long> lastVersion = new HashMap<>();
    private final Map<Long, Integer> chatNumbers = new HashMap<>();
    private final Map<Long, Long> lastSeq = new HashMap<>();
    private Map<Key, Row> before;
    private final List<Change> changes = new ArrayList<>();

    private ChatEventLog(Connection connection, List<MessageOperation> operations) {
        this.connection = connection;
        for (MessageOperation operation : operations) {
            numbersByChat.computeIfAbsent(operation.chatId(), chat -> new TreeSet<>()).add(operation.number());
            lastVersion.merge(new Key(operation.chatId(), operation.number()), operation.version(), Math::max);
            chatNumbers.put(operation.chatId(), operation.chatNumber());
        }
    }

    /** Call before the operations are written, in their transaction; they are all of chats that exist. */
    public static ChatEventLog open(Connection connection, List<MessageOperation> operations) throws SQLException {
        ChatEventLog log = new ChatEventLog(connection, operations);
        if (!operations.isEmpty()) {
            log.lockStreams();
            log.before = log.read();
        }
        return log;
    }

    /** Call after the operations were written, before the commit: the events it appended. */
    public List<ChatEvent> append() throws SQLException {
        if (numbersByChat.isEmpty()) {
            return List.of();
        }
        Map<Key, Row> after = read();
        List<ChatEvent> events = new ArrayList<>();
        for (Map.Entry<Long, TreeSet<Integer>> chat : numbersByChat.entrySet()) {
            long seq = lastSeq.getOrDefault(chat.getKey(), 0L);
            List<Key> keys = chat.getValue().stream().map(number -> new Key(chat.getKey(), number))
                    .sorted(Comparator.comparing(lastVersion::get)).toList();
            for (Key key : keys) {
                String type = change(before.get(key), after.get(key));
                if (type != null) {
                    events.add(new ChatEvent(key.chat(), ++seq, type, key.number(), data(type, key, after.get(key))));
                    changes.add(new Change(key.chat(), key.number(), visibleBody(before.get(key)), visibleBody(after.get(key))));
                }
            }
        }
        insert(events);
        return events;
    }

    /** After {@link #append}: the messages whose visible state changed, as their events say. */
    public List<Change> changes() {
        return changes;
    }

    private static String visibleBody(Row row) {
        return row != null && row.visible() ? row.body() : null;
    }

    private static String change(Row before, Row after) {
        boolean was = before != null && before.visible();
        boolean is = after != null && after.visible();
        if (!was) {
            return is ? ChatEvent.CREATED : null;
        }
        if (!is) {
            return ChatEvent.DELETED;
        }
        return after.version() != before.version() ? ChatEvent.UPDATED : null;
    }

    /** The data a client receives: the Message as GET answers it, or the number of a deleted one. */
    private String data(String type, Key key, Row row) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("number", key.number());
        data.put("chat_number", chatNumbers.get(key.chat()));
        if (!type.equals(ChatEvent.DELETED)) {
            data.put("sender", row.sender());
            data.put("body", row.body());
            data.put("hashtags", Hashtags.in(row.body()));
            data.put("created_at", Timestamps.RFC_3339_MILLIS.format(Timestamps.fromSql(row.createdAt())));
            data.put("updated_at", Timestamps.RFC_3339_MILLIS.format(Timestamps.fromSql(row.updatedAt())));
        }
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers is always serializable", e);
        }
    }

    /**
     * One statement locks every stream of the batch, in key order (as every worker does, so two never
     * deadlock), creating the ones that do not exist yet; the locks are held until the commit.
     */
    private void lockStreams() throws SQLException {
        String rows = numbersByChat.keySet().stream().map(chat -> "(?, 0)").collect(Collectors.joining(","));
        try (PreparedStatement lock = connection.prepareStatement(
                "INSERT INTO chat_streams (chat_id, last_seq) VALUES " + rows + " ON DUPLICATE KEY UPDATE last_seq = last_seq")) {
            int index = 1;
            for (long chat : numbersByChat.keySet()) {
                lock.setLong(index++, chat);
            }
            lock.executeUpdate();
        }
        String chats = numbersByChat.keySet().stream().map(chat -> "?").collect(Collectors.joining(","));
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT chat_id, last_seq FROM chat_streams WHERE chat_id IN (" + chats + ")")) {
            int index = 1;
            for (long chat : numbersByChat.keySet()) {
                select.setLong(index++, chat);
            }
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    lastSeq.put(result.getLong(1), result.getLong(2));
                }
            }
        }
    }

    /** The batch's messages as they are now (READ COMMITTED, under the streams' locks: no one else writes them). */
    private Map<Key, Row> read() throws SQLException {
        String where = numbersByChat.values().stream()
                .map(numbers -> "(chat_id = ? AND number IN (" + numbers.stream().map(n -> "?").collect(Collectors.joining(",")) + "))")
                .collect(Collectors.joining(" OR "));
        Map<Key, Row> rows = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT chat_id, number, created AND NOT deleted, version, body, sender, created_at, updated_at FROM messages WHERE "
                        + where)) {
            int index = 1;
            for (Map.Entry<Long, TreeSet<Integer>> chat : numbersByChat.entrySet()) {
                select.setLong(index++, chat.getKey());
                for (int number : chat.getValue()) {
                    select.setInt(index++, number);
                }
            }
            try (ResultSet result = select.executeQuery()) {
                while (result.next()) {
                    rows.put(new Key(result.getLong(1), result.getInt(2)), new Row(result.getBoolean(3), result.getLong(4),
                            result.getString(5), result.getString(6), result.getString(7), result.getString(8)));
                }
            }
        }
        return rows;
    }

    private void insert(List<ChatEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        String now = Timestamps.toSql(Timestamps.now());
        Map<Long, Long> last = new TreeMap<>();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO chat_events (chat_id, seq, type, number, data, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (ChatEvent event : events) {
                insert.setLong(1, event.chatId());
                insert.setLong(2, event.seq());
                insert.setString(3, event.type());
                insert.setInt(4, event.number());
                insert.setString(5, event.data());
                insert.setString(6, now);
                insert.addBatch();
                last.put(event.chatId(), event.seq());
            }
            insert.executeBatch();
        }
        try (PreparedStatement bump = connection.prepareStatement(
                "INSERT INTO chat_streams (chat_id, last_seq) VALUES (?, ?) ON DUPLICATE KEY UPDATE last_seq = VALUES(last_seq)")) {
            for (Map.Entry<Long, Long> chat : last.entrySet()) {
                bump.setLong(1, chat.getKey());
                bump.setLong(2, chat.getValue());
                bump.addBatch();
            }
            bump.executeBatch();
        }
    }
}
