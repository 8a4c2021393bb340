package io.chat.api.members;

import io.chat.common.cache.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Redis side of {@link Members}: a chat's replicas (a sorted set, scored by the time until which
 * each counts as alive) and each replica's members of it (a hash of user to "connections:since").
 * Each call is one script, atomic in Redis, over the keys of one chat (one hash tag).
 */
final class MemberScripts {

    /** A user's connections on this replica before a write, and on every live replica after it. */
    record Change(long before, long total) {
    }

    /** What a refresh found: users to announce again (this replica had been swept away), and users who left with a dead replica. */
    record Swept(List<String> joined, List<String> left) {
    }

    /** How long a replica's hash outlives its last write: long enough for a sweep to read a dead replica's users. */
    private static final Duration KEEP = Duration.ofMinutes(10);

    // KEYS[1]: the chat's replicas; ARGV: hash prefix, replica, now, alive until, keep ms, user, value ("" to remove).
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
    private static final String REFRESH = """
            local own = ARGV[1] .. ARGV[2]
            local swept = not redis.call('ZSCORE', KEYS[1], ARGV[2])
            redis.call('DEL', own)
            local mine = {}
            if #ARGV > 5 then
              redis.call('ZADD', KEYS[1], ARGV[4], ARGV[2])
              for i = 6, #ARGV, 2 do
                redis.call('HSET', own, ARGV[i], ARGV[i + 1])
                table.insert(mine, ARGV[i])
              end
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
            local function elsewhere(user)
              for _, replica in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
                if replica ~= ARGV[2] and redis.call('HEXISTS', ARGV[1] .. replica, user) == 1 then return true end
              end
              return false
            end
            local joined, left = {}, {}
            for user in pairs(gone) do
              if redis.call('HEXISTS', own, user) == 0 and not elsewhere(user) then table.insert(left, user) end
            end
            if swept then
              for _, user in ipairs(mine) do
                if not elsewhere(user) then table.insert(joined, user) end
              end
            end
            return {joined, left}""";

    private final RedisDataSource redis;
    private final long liveMillis;

    MemberScripts(RedisDataSource redis, long liveMillis) {
        this.redis = redis;
        this.liveMillis = liveMillis;
    }

    /** Writes one user's entry of this replica ({@code value} null: none), and counts the user's connections everywhere. */
    Change update(long chatId, String replica, String user, String value) {
        long now = System.currentTimeMillis();
        var counted = redis.execute("EVAL", UPDATE, "1", RedisKeys.memberReplicas(chatId), RedisKeys.memberHashPrefix(chatId),
                replica, Long.toString(now), Long.toString(now + liveMillis), Long.toString(KEEP.toMillis()), user,
                value == null ? "" : value);
        return new Change(counted.get(0).toLong(), counted.get(1).toLong());
    }

    /**
     * Re-writes this replica's entries of the chat ({@code users}: user to value) and moves its time
     * on, then sweeps the replicas whose time ran out.
     */
    Swept refresh(long chatId, String replica, Map<String, String> users) {
        long now = System.currentTimeMillis();
        List<String> arguments = new ArrayList<>(List.of(REFRESH, "1", RedisKeys.memberReplicas(chatId), RedisKeys.memberHashPrefix(chatId),
                replica, Long.toString(now), Long.toString(now + liveMillis), Long.toString(KEEP.toMillis())));
        users.forEach((user, value) -> {
            arguments.add(user);
            arguments.add(value);
        });
        var lists = redis.execute("EVAL", arguments.toArray(String[]::new));
        List<String> joined = new ArrayList<>();
        List<String> left = new ArrayList<>();
        lists.get(0).forEach(user -> joined.add(user.toString()));
        lists.get(1).forEach(user -> left.add(user.toString()));
        return new Swept(joined, left);
    }
}
