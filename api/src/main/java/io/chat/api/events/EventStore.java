package io.chat.api.events;

import io.agroal.api.AgroalDataSource;
import io.chat.common.events.ChatEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The persisted events of chats (chat_events, chat_streams: see V5), as the worker committed them. */
@ApplicationScoped
public class EventStore {

    private final AgroalDataSource dataSource;

    public EventStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The seq of the chat's last committed event; 0 if it has none. */
    public long lastSeq(long chatId) throws SQLException {
        return lastSeqs(List.of(chatId)).getOrDefault(chatId, 0L);
    }

    /** The seq of each chat's last committed event; chats with none are left out. */
    public Map<Long, Long> lastSeqs(Collection<Long> chatIds) throws SQLException {
        Map<Long, Long> last = new HashMap<>();
        if (chatIds.isEmpty()) {
            return last;
        }
        String placeholders = chatIds.stream().map(id -> "?").collect(Collectors.joining(","));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT chat_id, last_seq FROM chat_streams WHERE chat_id IN (" + placeholders + ")")) {
            int index = 1;
            for (long chat : chatIds) {
                select.setLong(index++, chat);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    last.put(rows.getLong(1), rows.getLong(2));
                }
            }
        }
        return last;
    }

    /** At most {@code limit} events of the chat after {@code seq}, in order. */
    public List<ChatEvent> after(long chatId, long seq, int limit) throws SQLException {
        List<ChatEvent> events = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT seq, type, number, data FROM chat_events WHERE chat_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            select.setLong(1, chatId);
            select.setLong(2, seq);
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    events.add(new ChatEvent(chatId, rows.getLong(1), rows.getString(2), rows.getInt(3), rows.getString(4)));
                }
            }
        }
        return events;
    }
}
