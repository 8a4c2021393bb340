package io.chat.api.identity;

import io.agroal.api.AgroalDataSource;
import io.chat.api.error.ServiceUnavailableException;
import io.chat.common.cache.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Whether a user token still counts, checked on every request without a MySQL round trip: MySQL
 * holds the truth (applications.deleted_at, user_token_generations), Redis a copy that every replica
 * reads with one MGET. A miss (Redis restarted, a new user) reads MySQL once and fills Redis with
 * SET NX, which never overwrites a newer value; a revocation writes its new generation to Redis
 * before its transaction commits, so from its 204 on no replica accepts an older token. While Redis
 * is down, every check reads MySQL.
 */
@ApplicationScoped
public class Revocations {

    private static final Logger LOG = Logger.getLogger(Revocations.class);
    private static final String DELETED = "deleted";
    /**
     * How long a copy lives in Redis: what bounds a stale copy, one restored from an old Redis
     * snapshot or one Redis failed to drop (see revoked and applicationDeleting).
     */
    private static final Duration COPY_TTL = Duration.ofMinutes(5);

    /** Where a user's tokens stand: its application's id and liveness, and the generation tokens must carry. */
    public record State(long applicationId, boolean live, int generation) {
    }

    private final ReactiveRedisDataSource reactive;
    private final RedisDataSource redis;
    private final AgroalDataSource database;

    public Revocations(ReactiveRedisDataSource reactive, RedisDataSource redis, AgroalDataSource database) {
        this.reactive = reactive;
        this.redis = redis;
        this.database = database;
    }

    /** Where the tokens of {@code user} of the application {@code publicId} stand; empty when there is no such application. */
    public Uni<Optional<State>> current(String publicId, String user) {
        String application = RedisKeys.userTokenApplication(publicId);
        String generation = RedisKeys.userTokenGeneration(publicId, user);
        return reactive.value(String.class).mget(application, generation)
                .map(copies -> fromCopies(copies, application, generation))
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("user token state not in Redis (%s): reading MySQL", failure.getMessage());
                    return null;
                })
                .chain(copy -> copy != null ? Uni.createFrom().item(Optional.of(copy)) : fromDatabase(publicId, user));
    }

    /**
     * Before the revocation commits: the new generation, for every replica at once. If Redis fails
     * (a timeout may still have written it), the copy is dropped as far as Redis lets us, and the
     * revocation is refused (503, rolled back); a rolled-back revocation drops it too. A dropped copy
     * is read again from MySQL.
     */
    void revoked(String publicId, String user, int generation) {
        String key = RedisKeys.userTokenGeneration(publicId, user);
        try {
            redis.value(String.class).set(key, Integer.toString(generation), new SetArgs().px(COPY_TTL.toMillis()));
        } catch (RuntimeException e) {
            forget(key);
            throw new ServiceUnavailableException("Redis could not take the revocation", e);
        }
    }

    /** The revocation of {@code user}'s tokens rolled back after its generation reached Redis. */
    void revocationUndone(String publicId, String user) {
        forget(RedisKeys.userTokenGeneration(publicId, user));
    }

    /**
     * Before an application's deletion commits: its copy goes, so that a replica reads MySQL; after
     * the commit, the copy says deleted. If Redis fails at both moments, a replica may take its
     * users' tokens for up to the copy's life, but finds none of its chats (deleted with it): 404s
     * instead of 401s, never its data.
     */
    public void applicationDeleting(String publicId) {
        forget(RedisKeys.userTokenApplication(publicId));
    }

    public void applicationDeleted(String publicId) {
        try {
            redis.value(String.class).set(RedisKeys.userTokenApplication(publicId), DELETED, new SetArgs().px(COPY_TTL.toMillis()));
        } catch (RuntimeException e) {
            LOG.warnf("could not mark a deleted application's user tokens in Redis (its chats are gone anyway): %s", e.getMessage());
        }
    }

    private void forget(String key) {
        try {
            redis.key().del(key);
        } catch (RuntimeException e) {
            LOG.warnf("could not drop a user token copy in Redis (it expires within %s): %s", COPY_TTL, e.getMessage());
        }
    }

    private static State fromCopies(Map<String, String> copies, String application, String generation) {
        String id = copies.get(application);
        String current = copies.get(generation);
        if (DELETED.equals(id)) {
            return new State(0, false, 0);
        }
        if (id == null || current == null) {
            return null;
        }
        return new State(Long.parseLong(id), true, Integer.parseInt(current));
    }

    private Uni<Optional<State>> fromDatabase(String publicId, String user) {
        return Uni.createFrom().item(() -> read(publicId, user))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .invoke(state -> state.ifPresent(found -> copy(publicId, user, found)));
    }

    private Optional<State> read(String publicId, String user) {
        try (Connection connection = database.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT a.id, a.deleted_at IS NULL, COALESCE(g.generation, 0) FROM applications a"
                        + " LEFT JOIN user_token_generations g ON g.application_id = a.id AND g.user_id = ?"
                        + " WHERE a.public_id = ?")) {
            select.setString(1, user);
            select.setString(2, publicId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(new State(row.getLong(1), row.getBoolean(2), row.getInt(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new ServiceUnavailableException("MySQL could not tell whether a user token is revoked", e);
        }
    }

    /** Fills the copies for the next requests; never over a value written meanwhile (a revocation's). */
    private void copy(String publicId, String user, State state) {
        SetArgs onlyIfAbsent = new SetArgs().nx().px(COPY_TTL.toMillis());
        reactive.value(String.class).set(RedisKeys.userTokenApplication(publicId), state.live() ? Long.toString(state.applicationId()) : DELETED,
                        onlyIfAbsent)
                .chain(() -> reactive.value(String.class).set(RedisKeys.userTokenGeneration(publicId, user),
                        Integer.toString(state.generation()), onlyIfAbsent))
                .subscribe().with(done -> { }, failure -> LOG.debugf("user token state not copied to Redis: %s", failure.getMessage()));
    }
}
