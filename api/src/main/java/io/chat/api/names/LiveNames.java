package io.chat.api.names;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.agroal.api.AgroalDataSource;
import io.chat.api.config.ApiConfig;
import io.chat.api.identity.Caller;
import io.chat.common.Tokens;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The live application a token names, and the live chat a chat number names, resolved by each
 * replica once instead of by a MySQL query on every request. Only what exists is kept (a name that
 * resolves to nothing is read again every time: a new chat is there at once), for at most
 * chat.names.ttl.
 * <p>
 * Names are never reused, and what is deleted never comes back: only a delete makes an entry wrong.
 * An entry counts only in the {@link NameFanout#epoch() epoch} it was read in (read before its
 * query, so that a query racing a delete cannot outlive it), and every delete of an application or
 * a chat moves the epoch on: on its own replica before it answers, on the others when its notice
 * reaches them (the delete waits until the broker has queued it for every replica). While a replica
 * is not connected to the fan-out, it keeps nothing. What a lost notice can cost, then, is only
 * that: a replica whose broker connection is broken before it notices (two missed heartbeats, about
 * 20 s) answers a deleted name for at most chat.names.ttl.
 * <p>
 * The writes do not rely on it: numbering and edits lock the chat row and check it is live.
 */
@ApplicationScoped
public class LiveNames {

    private static final int MAX_ENTRIES = 100_000;
    private static final String APPLICATION = "SELECT id FROM applications WHERE token_hash = ? AND deleted_at IS NULL";
    private static final String CHAT = "SELECT c.id, a.id FROM chats c JOIN applications a ON a.id = c.application_id"
            + " WHERE %s AND a.deleted_at IS NULL AND c.number = ? AND c.deleted_at IS NULL";
    private static final String CHAT_BY_TOKEN = CHAT.formatted("a.token_hash = ?");
    private static final String CHAT_BY_APPLICATION = CHAT.formatted("a.id = ?");

    /** A live chat: its internal id, and its application's. */
    public record LiveChat(long id, long applicationId) {
    }

    private record Entry<V>(V value, long epoch) {
    }

    /** A chat by its number, under its application's token hash (as hex) or its application's id. */
    private record ChatName(Object application, int number) {
    }

    @FunctionalInterface
    private interface Row<V> {
        V read(ResultSet row) throws SQLException;
    }

    private final AgroalDataSource database;
    private final NameFanout fanout;
    private final Cache<String, Entry<Long>> applications;
    private final Cache<ChatName, Entry<LiveChat>> chats;

    public LiveNames(AgroalDataSource database, NameFanout fanout, ApiConfig config) {
        this.database = database;
        this.fanout = fanout;
        this.applications = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(config.names().ttl()).build();
        this.chats = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(config.names().ttl()).build();
    }

    /** The id of the live application of {@code token}. */
    public Optional<Long> applicationId(String token) {
        // The key is the hash in hex; the query needs it as bytes, only on a miss.
        String hex = Tokens.hashHex(token);
        return cached(applications, hex, () -> query(APPLICATION, HexFormat.of().parseHex(hex), 0, row -> row.getLong(1)));
    }

    /** The live chat {@code number} of a live application, as the caller names it, if the caller reaches it. */
    public Optional<LiveChat> chat(Caller caller, int number) {
        return caller.reaches(number) ? chat(chatName(caller, number)) : Optional.empty();
    }

    /** As {@link #chat}, with no thread waiting on MySQL: a chat not known here yet is read on a worker thread. */
    public Uni<Optional<LiveChat>> chatAsync(Caller caller, int number) {
        if (!caller.reaches(number)) {
            return Uni.createFrom().item(Optional.empty());
        }
        ChatName name = chatName(caller, number);
        Entry<LiveChat> known = chats.getIfPresent(name);
        if (known != null && known.epoch() == fanout.epoch()) {
            return Uni.createFrom().item(Optional.of(known.value()));
        }
        return Uni.createFrom().item(() -> chat(name)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Optional<LiveChat> chat(ChatName name) {
        Row<LiveChat> chat = row -> new LiveChat(row.getLong(1), row.getLong(2));
        if (name.application() instanceof Long id) {
            return cached(chats, name, () -> query(CHAT_BY_APPLICATION, id, name.number(), chat));
        }
        // The token's hash, back from the hex of the name
        byte[] hash = HexFormat.of().parseHex((String) name.application());
        return cached(chats, name, () -> query(CHAT_BY_TOKEN, hash, name.number(), chat));
    }

    private static ChatName chatName(Caller caller, int number) {
        return new ChatName(caller instanceof Caller.User user ? user.applicationId()
                : Tokens.hashHex(((Caller.Application) caller).token()), number);
    }

    /** Once a delete of an application or a chat has committed, before it answers. */
    public void deleted() {
        fanout.announce();
    }

    private <K, V> Optional<V> cached(Cache<K, Entry<V>> cache, K name, Supplier<Optional<V>> load) {
        long epoch = fanout.epoch();
        if (epoch < 0) {
            return load.get();
        }
        Entry<V> entry = cache.getIfPresent(name);
        if (entry != null && entry.epoch() == epoch) {
            return Optional.of(entry.value());
        }
        Optional<V> loaded = load.get();
        loaded.ifPresent(value -> cache.put(name, new Entry<>(value, epoch)));
        return loaded;
    }

    /** One row of {@code sql} for the application (a token hash or an id) and, if any, the chat number. */
    private <V> Optional<V> query(String sql, Object application, int number, Row<V> row) {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, application);
            if (number > 0) {
                statement.setInt(2, number);
            }
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? Optional.of(row.read(result)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not resolve a name: " + e.getMessage(), e);
        }
    }
}
