package io.chat.api.message.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chat.api.identity.Caller;
import io.chat.api.message.service.MessageAllocator.Allocation;
import io.chat.common.Timestamps;
import io.chat.common.Tokens;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SQL of MessageNumbers: in one transaction, locks the chats a batch names with one
 * {@code SELECT … FOR UPDATE} (in primary key order, as every multi-row update of chats does, so
 * that replicas and the worker do not deadlock), hands out their next numbers and versions, and
 * moves their counters past them with one {@code UPDATE}. A new message's created_at is given here
 * too, never before the chat's previous message's (whatever the replica's clock): within a chat,
 * created_at never decreases as numbers grow, and a time range is a range of numbers.
 */
final class ChatCounters {

    /** A chat as callers name it: by its application's token, or (user tokens) by its application's id. */
    record ChatName(String token, Long applicationId, int number) {

        static ChatName of(Caller caller, int number) {
            return caller instanceof Caller.User user
                    ? new ChatName(null, user.applicationId(), number)
                    : new ChatName(((Caller.Application) caller).token(), null, number);
        }

        ChatName application() {
            return new ChatName(token, applicationId, 0);
        }
    }

    private static final class LockedChat {
        final long id;
        final long applicationId;
        int lastMessageNumber;
        long lastVersion;
        Instant lastMessageAt;

        LockedChat(long id, long applicationId, int lastMessageNumber, long lastVersion, Instant lastMessageAt) {
            this.id = id;
            this.applicationId = applicationId;
            this.lastMessageNumber = lastMessageNumber;
            this.lastVersion = lastVersion;
            this.lastMessageAt = lastMessageAt;
        }
    }

    /**
     * A chat's id never changes and is never given to another chat, so it is kept once found.
     * Whether the chat and its application are still live is checked under the lock, every time.
     */
    private final Cache<ChatName, Long> chatIds = Caffeine.newBuilder().maximumSize(100_000).build();

    /** Allocates a number for each name of the batch, in order (empty: no such live chat), and commits. */
    List<Optional<Allocation>> allocate(Connection connection, List<ChatName> batch) throws SQLException {
        Map<ChatName, Long> ids = resolve(connection, new HashSet<>(batch));
        Map<Long, LockedChat> locked = lock(connection, ids.values());
        List<Optional<Allocation>> allocations = new ArrayList<>(batch.size());
        Instant now = Timestamps.now();
        for (ChatName name : batch) {
            Long id = ids.get(name);
            LockedChat chat = id == null ? null : locked.get(id);
            if (chat == null) {
                allocations.add(Optional.empty());
                continue;
            }
            chat.lastMessageNumber++;
            chat.lastVersion++;
            if (chat.lastMessageAt == null || chat.lastMessageAt.isBefore(now)) {
                chat.lastMessageAt = now;
            }
            allocations.add(Optional.of(new Allocation(chat.applicationId, chat.id, name.number(),
                    chat.lastMessageNumber, chat.lastVersion, chat.lastMessageAt, null)));
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
        String sql = "SELECT c.id, c.application_id, c.last_message_number, c.last_version, c.last_message_at FROM chats c"
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
                    String lastMessageAt = rows.getString(5);
                    locked.put(rows.getLong(1), new LockedChat(rows.getLong(1), rows.getLong(2), rows.getInt(3), rows.getLong(4),
                            lastMessageAt == null ? null : Timestamps.fromSql(lastMessageAt)));
                }
            }
        }
        return locked;
    }

    /** One UPDATE moves every locked chat's counters to the last number, version and time handed out. */
    private static void update(Connection connection, Collection<LockedChat> chats) throws SQLException {
        if (chats.isEmpty()) {
            return;
        }
        String cases = " WHEN ? THEN ?".repeat(chats.size());
        String sql = "UPDATE chats SET last_message_number = CASE id" + cases + " END, last_version = CASE id" + cases
                + " END, last_message_at = CASE id" + cases + " END WHERE id IN (" + placeholders(chats.size()) + ")";
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
                update.setString(index++, Timestamps.toSql(chat.lastMessageAt));
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
