package io.chat.api.members;

import io.chat.api.config.ApiConfig;
import io.chat.api.error.ServiceUnavailableException;
import io.chat.common.cache.RedisKeys;
import io.chat.common.events.ChatEvent;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

/**
 * Who follows each chat right now, across replicas. A connection that names a user (a user token's,
 * or an application's with ?user=) is a member of its chat. This replica keeps its own members in
 * memory, the truth for itself, and mirrors them to Redis (MemberScripts): one hash per chat and
 * replica, and a sorted set of the replicas with members, scored by the time until which each counts
 * as alive.
 * <ul>
 * <li>member.joined goes out when a user's first connection anywhere opens, member.left when its last
 * one closes: a script computes both, atomically, from every live replica's hash.
 * <li>Every heartbeat (a schedule of its own) re-writes this replica's hashes and moves its time on by
 * {@link #LIVE_HEARTBEATS} heartbeats. A replica that died stops counting after that time; a replica
 * that follows the chat then sweeps it away, and sends member.left for its users that no live replica
 * holds. A replica that was swept while alive (stalled) says member.joined again for its users.
 * <li>On the way out, a replica's users leave at once, with member.left.
 * </ul>
 * One thread writes to Redis. Connections coming and going mark their user dirty; the thread writes
 * each dirty user as it is then, so a burst costs one write per user, not per connection. The thread
 * owns what it last wrote, and the heartbeat re-writes that, never a state a pending write has not
 * announced yet. If Redis fails, events are not sent and the user is written again at the next
 * heartbeat; listing answers 503.
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

    private record ChatUser(long chat, String user) {
    }

    private static final Logger LOG = Logger.getLogger(Members.class);

    private final Map<Long, Map<String, Held>> here = new ConcurrentHashMap<>();
    private final Set<ChatUser> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** What the writer thread last wrote to Redis, by chat: only that thread reads or changes it. */
    private final Map<Long, Map<String, String>> written = new HashMap<>();
    /** Users whose write failed: written again at the next heartbeat. Only the writer thread reads or changes it. */
    private final Set<ChatUser> failed = new LinkedHashSet<>();
    private final String replica = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    private final ExecutorService writer = Executors.newSingleThreadExecutor(work -> {
        Thread thread = new Thread(work, "chat-members");
        thread.setDaemon(true);
        return thread;
    });
    private final MemberScripts scripts;
    private final RedisDataSource redis;
    private volatile Consumer<ChatEvent> publisher = event -> {
    };
    private volatile Supplier<Collection<Long>> followed = List::of;

    public Members(RedisDataSource redis, ApiConfig config) {
        this.redis = redis;
        this.scripts = new MemberScripts(redis, LIVE_HEARTBEATS * config.events().heartbeat().toMillis());
    }

    /** Where member.joined and member.left go: the events fan-out, to every replica. */
    public void publishTo(Consumer<ChatEvent> publisher) {
        this.publisher = publisher;
    }

    /** The chats followed on this replica: the heartbeat sweeps dead replicas out of them. */
    public void sweepChatsOf(Supplier<Collection<Long>> followed) {
        this.followed = followed;
    }

    /** A connection of {@code user} to the chat opened on this replica. */
    public void joined(long chatId, String user) {
        here.compute(chatId, (chat, users) -> {
            Map<String, Held> map = users == null ? new ConcurrentHashMap<>() : users;
            map.compute(user, (name, held) -> held == null ? new Held(1, System.currentTimeMillis())
                    : new Held(held.connections() + 1, held.since()));
            return map;
        });
        changed(new ChatUser(chatId, user));
    }

    /** A connection of {@code user} to the chat on this replica closed. */
    public void left(long chatId, String user) {
        here.computeIfPresent(chatId, (chat, users) -> {
            users.computeIfPresent(user, (name, held) -> held.connections() <= 1 ? null : new Held(held.connections() - 1, held.since()));
            return users.isEmpty() ? null : users;
        });
        changed(new ChatUser(chatId, user));
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
     * Re-writes what this replica last wrote of every chat it has members or followers in, and sweeps
     * the replicas that stopped counting as alive out of those chats.
     */
    @Scheduled(every = "${chat.events.heartbeat}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void heartbeat() {
        Set<Long> chats = new LinkedHashSet<>(followed.get());
        submit(() -> {
            dirty.addAll(failed);
            failed.clear();
            drain();
            chats.addAll(written.keySet());
            chats.forEach(this::refresh);
        });
    }

    private void changed(ChatUser key) {
        dirty.add(key);
        if (draining.compareAndSet(false, true)) {
            submit(() -> {
                draining.set(false);
                drain();
            });
        }
    }

    /** On the writer thread: writes every dirty user as it is now. */
    private void drain() {
        List<ChatUser> keys = new ArrayList<>(dirty);
        dirty.removeAll(keys);
        keys.forEach(this::write);
    }

    private void write(ChatUser key) {
        Map<String, Held> users = here.get(key.chat());
        Held held = users == null ? null : users.get(key.user());
        String value = held == null ? null : held.value();
        try {
            MemberScripts.Change change = scripts.update(key.chat(), replica, key.user(), value);
            if (value == null) {
                written.computeIfPresent(key.chat(), (chat, map) -> {
                    map.remove(key.user());
                    return map.isEmpty() ? null : map;
                });
            } else {
                written.computeIfAbsent(key.chat(), chat -> new HashMap<>()).put(key.user(), value);
            }
            if (change.before() == 0 && held != null && change.total() == held.connections()) {
                publisher.accept(ChatEvent.ephemeral(key.chat(), ChatEvent.MEMBER_JOINED, key.user()));
            } else if (change.before() > 0 && held == null && change.total() == 0) {
                publisher.accept(ChatEvent.ephemeral(key.chat(), ChatEvent.MEMBER_LEFT, key.user()));
            }
        } catch (RuntimeException e) {
            failed.add(key);
            LOG.debugf("members of chat %d not written to Redis (again at the next heartbeat): %s", key.chat(), e.getMessage());
        }
    }

    private void refresh(long chatId) {
        try {
            MemberScripts.Swept swept = scripts.refresh(chatId, replica, written.getOrDefault(chatId, Map.of()));
            swept.joined().forEach(user -> publisher.accept(ChatEvent.ephemeral(chatId, ChatEvent.MEMBER_JOINED, user)));
            swept.left().forEach(user -> publisher.accept(ChatEvent.ephemeral(chatId, ChatEvent.MEMBER_LEFT, user)));
        } catch (RuntimeException e) {
            LOG.debugf("members of chat %d not refreshed in Redis: %s", chatId, e.getMessage());
        }
    }

    private void submit(Runnable work) {
        try {
            writer.execute(work);
        } catch (RejectedExecutionException e) {
            LOG.debug("members not written: the replica is stopping");
        }
    }

    /**
     * On the way out, before the fan-out closes (a lower priority runs first): this replica's users
     * leave Redis at once, with member.left for those no other replica holds.
     */
    void stop(@Observes @Priority(100) ShutdownEvent event) throws InterruptedException {
        here.forEach((chat, users) -> users.keySet().forEach(user -> dirty.add(new ChatUser(chat, user))));
        here.clear();
        submit(this::drain);
        writer.shutdown();
        if (!writer.awaitTermination(3, TimeUnit.SECONDS)) {
            LOG.warn("members still being written to Redis at shutdown: they leave within three heartbeats");
        }
    }
}
