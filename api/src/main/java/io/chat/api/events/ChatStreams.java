package io.chat.api.events;

import io.chat.api.config.ApiConfig;
import io.chat.api.identity.Caller;
import io.chat.api.identity.Revocations;
import io.chat.api.members.Members;
import io.chat.common.events.ChatEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The subscribers of this replica, by chat: the fan-out hands each committed event to the
 * subscribers of its chat. At every heartbeat, each subscriber gets a heartbeat, and one query
 * checks the chats followed here against MySQL:
 * <ul>
 * <li>an event whose fan-out message was lost, with no later event to reveal the gap, is sent;
 * <li>the streams of a chat or application deleted since they opened end;
 * <li>so do the streams of a user token that expired or was revoked since.
 * </ul>
 * Subscribers work on a few threads of their own ({@code chat.events.threads}): a storm of replays
 * after a replica died takes at most that many pooled connections, never the requests' share.
 */
@ApplicationScoped
public class ChatStreams {

    private static final Logger LOG = Logger.getLogger(ChatStreams.class);
    private static final Duration ACCESS_CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final Map<Long, Set<Subscription>> byChat = new ConcurrentHashMap<>();
    private final EventStore store;
    private final Revocations revocations;
    private final Members members;
    private final ApiConfig.Events config;
    private final ExecutorService executor;

    public ChatStreams(EventStore store, Revocations revocations, Members members, ApiConfig config, MeterRegistry metrics) {
        this.store = store;
        this.revocations = revocations;
        this.members = members;
        members.sweepChatsOf(byChat::keySet);
        this.config = config.events();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(this.config.threads(), work -> {
            Thread thread = new Thread(work, "chat-events-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        metrics.gauge("chat.events.subscribers", byChat, chats -> chats.values().stream().mapToInt(Set::size).sum());
    }

    /**
     * The events of a chat for one client, from {@code since} (see {@link Subscription#start}). The
     * subscriber is registered before the first item is read, and removed when the client goes.
     *
     * @param user the user of a user token, or null for the application's token
     * @param member the user this connection is a member of the chat as (Members), or null for none
     */
    public Multi<StreamItem> follow(long chatId, Long since, Caller.User user, String member) {
        return Multi.createFrom().<StreamItem>emitter(emitter -> {
            Subscription subscription = new Subscription(chatId, user, store, executor, config.buffer(), config.replayPage());
            // Atomic with remove(): a set that its last subscriber is emptying is never joined.
            byChat.compute(chatId, (chat, subscribers) -> {
                Set<Subscription> set = subscribers == null ? ConcurrentHashMap.newKeySet() : subscribers;
                set.add(subscription);
                return set;
            });
            if (member != null) {
                members.joined(chatId, member);
            }
            // Once: Mutiny may run a termination callback twice when a cancel races its registration.
            AtomicBoolean ended = new AtomicBoolean();
            emitter.onTermination(() -> {
                if (ended.compareAndSet(false, true)) {
                    remove(subscription);
                    if (member != null) {
                        members.left(chatId, member);
                    }
                }
            });
            // On the subscribers' threads: start reads MySQL, and this may run on an I/O thread.
            executor.execute(() -> {
                try {
                    subscription.start(emitter, since);
                } catch (SQLException | RuntimeException e) {
                    LOG.warnf("Could not start a stream of chat %d: %s", chatId, e.getMessage());
                    emitter.fail(e);
                }
            });
        }, BackPressureStrategy.ERROR);
    }

    /** From the fan-out: committed events, of any chats. */
    void deliver(List<ChatEvent> events) {
        for (ChatEvent event : events) {
            Set<Subscription> subscribers = byChat.get(event.chatId());
            if (subscribers != null) {
                subscribers.forEach(subscription -> subscription.offer(event));
            }
        }
    }

    @Scheduled(every = "${chat.events.heartbeat}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void heartbeat() {
        if (byChat.isEmpty()) {
            return;
        }
        // The beats first: however long the checks take, no stream goes silent for longer.
        byChat.values().forEach(subscribers -> subscribers.forEach(Subscription::heartbeat));
        checkChats();
        checkUsers();
    }

    /** How many subscribers follow the chat here (for tests and metrics). */
    public int subscribers(long chatId) {
        Set<Subscription> subscribers = byChat.get(chatId);
        return subscribers == null ? 0 : subscribers.size();
    }

    private void checkChats() {
        Map<Long, Long> live;
        try {
            live = store.liveChats(byChat.keySet());
        } catch (SQLException e) {
            LOG.warnf("Could not check the followed chats against MySQL: %s", e.getMessage());
            return;
        }
        byChat.forEach((chat, subscribers) -> {
            Long last = live.get(chat);
            subscribers.forEach(last == null ? Subscription::close : subscription -> subscription.caughtUpTo(last));
        });
    }

    /**
     * Expired tokens end at once; revoked ones (or of a deleted application) once Redis, or MySQL,
     * says so. Every user is asked once, all at the same time, within one deadline: a user whose
     * answer is late is checked again at the next heartbeat.
     */
    private void checkUsers() {
        Instant now = Instant.now();
        Map<String, CompletableFuture<Optional<Revocations.State>>> states = new HashMap<>();
        Map<Subscription, String> users = new HashMap<>();
        byChat.values().forEach(subscribers -> subscribers.forEach(subscription -> {
            Caller.User user = subscription.user();
            if (user == null) {
                return;
            }
            if (!user.expiresAt().isAfter(now)) {
                subscription.close();
                return;
            }
            String key = user.publicId() + "\n" + user.user();
            states.computeIfAbsent(key, k -> revocations.current(user.publicId(), user.user()).subscribeAsCompletionStage());
            users.put(subscription, key);
        }));
        if (users.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(states.values().toArray(CompletableFuture[]::new))
                    .get(ACCESS_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.debugf("some users' tokens could not be checked (their streams go on): %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        users.forEach((subscription, key) -> {
            CompletableFuture<Optional<Revocations.State>> answer = states.get(key);
            Optional<Revocations.State> state = answer.isDone() && !answer.isCompletedExceptionally() ? answer.join() : null;
            Caller.User user = subscription.user();
            if (state != null && (state.isEmpty() || !state.get().live() || state.get().generation() != user.generation())) {
                subscription.close();
            }
        });
    }

    private void remove(Subscription subscription) {
        subscription.close();
        byChat.computeIfPresent(subscription.chatId(), (chat, subscribers) -> {
            subscribers.remove(subscription);
            return subscribers.isEmpty() ? null : subscribers;
        });
    }

    void stop(@Observes ShutdownEvent event) {
        byChat.values().forEach(subscribers -> subscribers.forEach(Subscription::close));
        executor.shutdownNow();
    }
}
