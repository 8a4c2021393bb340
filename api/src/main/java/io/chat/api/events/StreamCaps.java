package io.chat.api.events;

import io.chat.api.config.ApiConfig;
import io.chat.api.error.Problem;
import io.chat.api.identity.Caller;
import io.chat.common.cache.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * How many event streams (SSE or sockets) one application, and one user of it, may hold open on all
 * replicas together (chat.events.max-per-application, max-per-user; 0: no cap). Past a cap, a new
 * stream is refused with a 429 problem; the ones open go on.
 * <p>
 * Each replica counts its own streams in memory and mirrors the counts to Redis, one hash per
 * application and per user, a field per replica. A slot is taken by a script that sums the fields of
 * the live replicas and adds one to this replica's only if the sum is below the cap. Replicas say
 * they are alive in a sorted set scored by the time until which they count (three heartbeats); a
 * dead replica's streams stop counting then. Every heartbeat keeps this replica's counts alive in
 * Redis and reads which replicas are. If Redis fails, the caps hold for this replica alone.
 */
@ApplicationScoped
public class StreamCaps {

    private static final Logger LOG = Logger.getLogger(StreamCaps.class);
    private static final int LIVE_HEARTBEATS = 3;
    private static final Duration KEEP = Duration.ofMinutes(10);
    // KEYS: the application's hash, then the user's if any; ARGV: this replica, take (1) or only check (0),
    // keep ms, then each key's cap, then the live replicas. Returns 0 if taken (or takable), else the
    // index of the key whose cap is reached.
    private static final String TAKE = """
            local live = {}
            for i = 4 + #KEYS, #ARGV do table.insert(live, ARGV[i]) end
            for k, key in ipairs(KEYS) do
              local cap = tonumber(ARGV[3 + k])
              if cap > 0 then
                local total = 0
                for _, replica in ipairs(live) do total = total + tonumber(redis.call('HGET', key, replica) or '0') end
                if total >= cap then return k end
              end
            end
            if ARGV[2] == '1' then
              for _, key in ipairs(KEYS) do
                redis.call('HINCRBY', key, ARGV[1], 1)
                redis.call('PEXPIRE', key, ARGV[3])
              end
            end
            return 0""";

    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    /** Keys whose count changed since the last heartbeat: it writes them, or removes them once at 0. */
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    /** Whether a Redis call failed since the last heartbeat: the counts it touched are written whole then. */
    private final AtomicBoolean failed = new AtomicBoolean();
    private final String replica = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    private final RedisDataSource redis;
    private final ReactiveRedisDataSource reactive;
    private final int perApplication;
    private final int perUser;
    private final Duration heartbeat;
    private volatile List<String> live = List.of();

    public StreamCaps(RedisDataSource redis, ReactiveRedisDataSource reactive, ApiConfig config) {
        this.redis = redis;
        this.reactive = reactive;
        this.perApplication = config.events().maxPerApplication();
        this.perUser = config.events().maxPerUser();
        this.heartbeat = config.events().heartbeat();
    }

    /**
     * A slot for one more stream, or a 429.
     *
     * @return what frees the slot when the stream ends (once, however often it is called)
     */
    public Runnable acquire(long applicationId, Caller.User user) {
        List<String> keys = keys(applicationId, user);
        int full = take(keys, true);
        if (full > 0) {
            throw tooMany(full == 1 ? "the application" : "this user", full == 1 ? perApplication : perUser);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                keys.forEach(this::release);
            }
        };
    }

    /** Whether {@link #acquire} would take one more stream now. */
    public boolean admits(long applicationId, Caller.User user) {
        return take(keys(applicationId, user), false) == 0;
    }

    /**
     * Says this replica is alive, reads which replicas are, and keeps its counts in Redis. Counts move
     * by increments only, never by writing a snapshot that a concurrent open or close would make
     * stale; a count is written whole only when Redis lost it (restarted) or a call failed since the
     * last heartbeat.
     */
    @Scheduled(every = "${chat.events.heartbeat}", delay = 0, concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void heartbeat() {
        long now = System.currentTimeMillis();
        boolean repair = failed.getAndSet(false);
        Set<String> changed = new LinkedHashSet<>(touched);
        touched.removeAll(changed);
        if (repair) {
            changed.addAll(open.keySet()); // a failed increment may have left any of them wrong
        }
        try {
            String replicas = RedisKeys.streamReplicas();
            redis.sortedSet(String.class).zadd(replicas, now + LIVE_HEARTBEATS * heartbeat.toMillis(), replica);
            redis.sortedSet(String.class).zremrangebyscore(replicas, new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) now));
            for (String key : changed) {
                Integer count = open.get(key);
                if (count == null) {
                    if (repair) {
                        redis.hash(Integer.class).hdel(key, replica);
                    }
                } else if (!redis.key().pexpire(key, KEEP.toMillis()) || repair) {
                    redis.hash(Integer.class).hset(key, replica, count);
                }
            }
            open.keySet().forEach(key -> {
                if (!changed.contains(key) && !redis.key().pexpire(key, KEEP.toMillis())) {
                    redis.hash(Integer.class).hset(key, replica, open.getOrDefault(key, 0));
                }
            });
            List<String> alive = new ArrayList<>(redis.sortedSet(String.class).zrangebyscore(replicas,
                    new ScoreRange<>((double) now, Double.POSITIVE_INFINITY)));
            if (!alive.contains(replica)) {
                alive.add(replica);
            }
            live = List.copyOf(alive);
        } catch (RuntimeException e) {
            touched.addAll(changed);
            failed.set(true);
            LOG.debugf("stream counts not kept in Redis (the caps hold per replica meanwhile): %s", e.getMessage());
        }
    }

    private List<String> keys(long applicationId, Caller.User user) {
        return user == null ? List.of(RedisKeys.applicationStreams(applicationId))
                : List.of(RedisKeys.applicationStreams(applicationId), RedisKeys.userStreams(applicationId, user.user()));
    }

    /** 0 if every key is below its cap (and, with {@code take}, one more is counted), else the 1-based index of the one at its cap. */
    private int take(List<String> keys, boolean take) {
        int[] caps = {perApplication, perUser};
        int full = 0;
        List<String> replicas = live.isEmpty() ? List.of(replica) : live;
        List<String> arguments = new ArrayList<>(List.of(TAKE, Integer.toString(keys.size())));
        arguments.addAll(keys);
        arguments.addAll(List.of(replica, take ? "1" : "0", Long.toString(KEEP.toMillis())));
        for (int k = 0; k < keys.size(); k++) {
            arguments.add(Integer.toString(caps[k]));
        }
        arguments.addAll(replicas);
        try {
            full = redis.execute("EVAL", arguments.toArray(String[]::new)).toInteger();
        } catch (RuntimeException e) {
            failed.set(true);
            LOG.debugf("stream caps checked on this replica alone, Redis failed: %s", e.getMessage());
            for (int k = 0; k < keys.size() && full == 0; k++) {
                full = caps[k] == 0 || open.getOrDefault(keys.get(k), 0) < caps[k] ? 0 : k + 1;
            }
        }
        if (full == 0 && take) {
            keys.forEach(key -> {
                open.merge(key, 1, Integer::sum);
                touched.add(key);
            });
        }
        return full;
    }

    private void release(String key) {
        open.computeIfPresent(key, (name, count) -> count <= 1 ? null : count - 1);
        touched.add(key);
        // Without blocking: a stream often ends on an I/O thread.
        reactive.hash(Integer.class).hincrby(key, replica, -1).subscribe().with(count -> {
        }, failure -> {
            failed.set(true);
            LOG.debugf("a stream's slot not freed in Redis (the next heartbeat does): %s", failure.getMessage());
        });
    }

    private static WebApplicationException tooMany(String whose, int cap) {
        return new WebApplicationException(Problem.of("too-many-streams", "Too many event streams", 429,
                "Already " + cap + " event streams open for " + whose + "; close one first").toResponse().build());
    }
}
