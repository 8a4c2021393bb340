package io.chat.api.members;

import io.chat.api.config.ApiConfig;
import io.chat.api.error.ServiceUnavailableException;
import io.chat.common.cache.RedisKeys;
import io.chat.common.events.ChatEvent;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Who follows each chat right now, across replicas. A connection that names a user (a user token's,
 * or an application's with ?user=) is a member of its chat. This replica keeps its own members in
 * memory, the truth for itself, and mirrors them to Redis: one hash per chat and replica, and a
 * sorted set of the replicas with members, scored by the time until which each counts as alive.
 * <ul>
 * <li>Every heartbeat re-writes this replica's hashes and moves its time on by {@link #LIVE_HEARTBEATS}
 * heartbeats. A replica that died stops counting after that time; a replica that follows the chat
 * then sweeps it away, and sends member.left for its users that no live replica holds.
 * <li>member.joined goes out when a user's first connection anywhere opens, member.left when its last
 * one closes: a script computes both, atomically, from every live replica's hash.
 * </ul>
 * Redis calls run on one thread of their own, in the order the connections came and went; each writes
 * the user's state as it is then. If Redis fails, events are not sent and the next heartbeat repairs
 * the mirror; listing answers 503.
 */
@ApplicationScoped
public class Members {

    /** How many heartbeats a replica counts as alive without writing: the longest a dead one's members stay listed. */
    public static final int LIVE_HEARTBEATS = 3;

    /** A member as listed: its connections on every live replica, and since when it is connected (its earliest). */
    @Schema(requiredProperties = {"user", "connections", "since"})
    public record Member(String user, @Schema(minimum = "1") int connections, Instant since) {
    }

    private record Held(int connections, long since) {

        String value() {
            return connections + ":" + since;
        }
    }

    private static final Logger LOG = Logger.getLogger(Members.class);
    /** How long a replica's hash outlives its last write: long enough for a sweep to read a dead replica's users. */
    private static final Duration KEEP = Duration.ofMinutes(10);

    // KEYS[1]: the chat's replicas; ARGV: hash prefix, replica, now, alive until, keep ms, user, value ("" to remove).
    // Returns {connections here before, connections on every live replica after}.
    private static final String UPDATE = """
            redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            local own = ARGV[1] .. ARGV[2]
            local before = redis.call('HGET', own, ARGV[6])
            if ARGV[7] == '' then redis.call('HDEL', own, ARGV[6]) else redis.call('HSET', own, ARGV[6], ARGV[7]) end
            redis.call('PEXPIRE', own, ARGV[5])
            local total = 0
            for _, replica in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[3], '+inf')) do
              local held = redis.call('HGET', ARGV[1] .. replica, ARGV[6])
              if held then total = total + tonumber(string.match(held, '^(%d+)')) end
            end
            return {before and tonumber(string.match(before, '^(%d+)')) or 0, total}""";
    // KEYS[1]: the chat's replicas; ARGV: hash prefix, replica, now, alive until, keep ms, then user, value pairs.
    // Re-writes this replica's hash, then removes replicas past their time: returns their users that no live replica holds.
    private static final String REFRESH = """
            local own = ARGV[1] .. ARGV[2]
            redis.call('DEL', own)
            if #ARGV > 5 then
              redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
              for i = 6, #ARGV, 2 do redis.call('HSET', own, ARGV[i], ARGV[i + 1]) end
              redis.call('PEXPIRE', own, ARGV[5])
              redis.call('PEXPIRE', KEYS[1], ARGV[5])
            else
              redis.call('ZREM', KEYS[1], ARGV[2])
            end
            local gone = {}
            for _, dead in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])) do
              redis.call('ZREM', KEYS[1], dead)
              for _, user in ipairs(redis.call('HKEYS', ARGV[1] .. dead)) do gone[user] = true end
              redis.call('DEL', ARGV[1] .. dead)
            end
            local left = {}
            for user in pairs(gone) do
              local held = false
              for _, replica in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
                if redis.call('HEXISTS', ARGV[1] .. replica, user) == 1 then held = true end
              end
              if not held then table.insert(left, user) end
            end
            return left""";

    private final Map<Long, Map<String, Held>> here = new ConcurrentHashMap<>();
    private final String replica = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    private final ExecutorService writer = Executors.newSingleThreadExecutor(work -> {
        Thread thread = new Thread(work, "chat-members");
        thread.setDaemon(true);
        return thread;
    });
    private final RedisDataSource redis;
    private final Duration heartbeat;
    private volatile Consumer<ChatEvent> publisher = event -> {
    };

    public Members(RedisDataSource redis, ApiConfig config) {
        this.redis = redis;
        this.heartbeat = config.events().heartbeat();
    }

    /** Where member.joined and member.left go: the events fan-out, to every replica. */
    public void publishTo(Consumer<ChatEvent> publisher) {
        this.publisher = publisher;
    }

    /** A connection of {@code user} to the chat opened on this replica. */
    public void joined(long chatId, String user) {
        here.compute(chatId, (chat, users) -> {
            Map<String, Held> map = users == null ? new ConcurrentHashMap<>() : users;
            map.compute(user, (name, held) -> held == null ? new Held(1, System.currentTimeMillis())
                    : new Held(held.connections() + 1, held.since()));
            return map;
        });
        submit(() -> write(chatId, user));
    }

    /** A connection of {@code user} to the chat on this replica closed. */
    public void left(long chatId, String user) {
        here.computeIfPresent(chatId, (chat, users) -> {
            users.computeIfPresent(user, (name, held) -> held.connections() <= 1 ? null : new Held(held.connections() - 1, held.since()));
            return users.isEmpty() ? null : users;
        });
        submit(() -> write(chatId, user));
    }

    /** The chat's members on every live replica, by user; a 503 if Redis cannot answer. */
    public List<Member> list(long chatId) {
        Map<String, Member> members = new TreeMap<>();
        try {
            long now = System.currentTimeMillis();
            for (String live : redis.sortedSet(String.class).zrangebyscore(RedisKeys.memberReplicas(chatId),
                    new ScoreRange<>((double) now, Double.POSITIVE_INFINITY))) {
                redis.hash(String.class).hgetall(RedisKeys.memberHashPrefix(chatId) + live).forEach((user, value) -> {
                    String[] parts = value.split(":");
                    Member member = new Member(user, Integer.parseInt(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])));
                    members.merge(user, member, (a, b) -> new Member(user, a.connections() + b.connections(),
                            a.since().isBefore(b.since()) ? a.since() : b.since()));
                });
            }
        } catch (RuntimeException e) {
            throw new ServiceUnavailableException("Redis could not list the members", e);
        }
        return new ArrayList<>(members.values());
    }

    /**
     * At every heartbeat: re-writes this replica's members of every chat it follows, and sweeps the
     * replicas that stopped counting as alive out of those chats, with member.left for their users.
     */
    public void heartbeat(Collection<Long> followed) {
        List<Long> chats = new ArrayList<>(followed);
        here.keySet().forEach(chat -> {
            if (!followed.contains(chat)) {
                chats.add(chat);
            }
        });
        submit(() -> chats.forEach(this::refresh));
    }

    private void write(long chatId, String user) {
        Map<String, Held> users = here.get(chatId);
        Held held = users == null ? null : users.get(user);
        long now = System.currentTimeMillis();
        try {
            var counted = redis.execute("EVAL", UPDATE, "1", RedisKeys.memberReplicas(chatId), RedisKeys.memberHashPrefix(chatId),
                    replica, Long.toString(now), Long.toString(aliveUntil(now)), Long.toString(KEEP.toMillis()), user,
                    held == null ? "" : held.value());
            long before = counted.get(0).toLong();
            long total = counted.get(1).toLong();
            if (before == 0 && held != null && total == held.connections()) {
                publisher.accept(ChatEvent.ephemeral(chatId, ChatEvent.MEMBER_JOINED, user));
            } else if (before > 0 && held == null && total == 0) {
                publisher.accept(ChatEvent.ephemeral(chatId, ChatEvent.MEMBER_LEFT, user));
            }
        } catch (RuntimeException e) {
            LOG.debugf("members of chat %d not written to Redis (the next heartbeat repairs them): %s", chatId, e.getMessage());
        }
    }

    private void refresh(long chatId) {
        List<String> arguments = new ArrayList<>(List.of(REFRESH, "1", RedisKeys.memberReplicas(chatId), RedisKeys.memberHashPrefix(chatId)));
        long now = System.currentTimeMillis();
        arguments.addAll(List.of(replica, Long.toString(now), Long.toString(aliveUntil(now)), Long.toString(KEEP.toMillis())));
        Map<String, Held> users = here.get(chatId);
        if (users != null) {
            users.forEach((user, held) -> {
                arguments.add(user);
                arguments.add(held.value());
            });
        }
        try {
            redis.execute("EVAL", arguments.toArray(String[]::new))
                    .forEach(user -> publisher.accept(ChatEvent.ephemeral(chatId, ChatEvent.MEMBER_LEFT, user.toString())));
        } catch (RuntimeException e) {
            LOG.debugf("members of chat %d not refreshed in Redis: %s", chatId, e.getMessage());
        }
    }

    private long aliveUntil(long now) {
        return now + LIVE_HEARTBEATS * heartbeat.toMillis();
    }

    private void submit(Runnable write) {
        try {
            writer.execute(write);
        } catch (RejectedExecutionException e) {
            LOG.debug("members not written: the replica is stopping");
        }
    }

    /** On the way out, this replica's members leave Redis at once, rather than after LIVE_HEARTBEATS heartbeats. */
    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        List<Long> chats = new ArrayList<>(here.keySet());
        here.clear();
        submit(() -> chats.forEach(this::refresh));
        writer.shutdown();
        writer.awaitTermination(2, TimeUnit.SECONDS);
    }
}
