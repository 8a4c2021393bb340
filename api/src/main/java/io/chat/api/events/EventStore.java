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

    /** Chats looked up at once by {@link #liveChats}: an IN list of at most this many. */
    private static final int CHUNK = 1_000;

    /** The seq of the chat's last committed event; 0 if it has none. */
    public long lastSeq(long chatId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT last_seq FROM chat_streams WHERE chat_id = ?")) {
            select.setLong(1, chatId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        }
    }

    /**
     * Of these chats, those that are live (neither they nor their application deleted), each with
     * the seq of its last committed event (0 if none); the others are left out.
     */
    public Map<Long, Long> liveChats(Collection<Long> chatIds) throws SQLException {
        Map<Long, Long> live = new HashMap<>();
        List<Long> all = new ArrayList<>(chatIds);
        try (Connection connection = dataSource.getConnection()) {
            for (int from = 0; from < all.size(); from += CHUNK) {
                List<Long> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
                String placeholders = chunk.stream().map(id -> "?").collect(Collectors.joining(","));
                try (PreparedStatement select = connection.prepareStatement("SELECT c.id, COALESCE(s.last_seq, 0) FROM chats c"
                        + " JOIN applications a ON a.id = c.application_id LEFT JOIN chat_streams s ON s.chat_id = c.id"
                        + " WHERE c.id IN (" + placeholders + ") AND c.deleted_at IS NULL AND a.deleted_at IS NULL")) {
                    int index = 1;
                    for (long chat : chunk) {
                        select.setLong(index++, chat);
                    }
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            live.put(rows.getLong(1), rows.getLong(2));
                        }
                    }
                }
            }
        }
        return live;
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
