package io.chat.api.events;

import io.chat.api.config.ApiConfig;
import io.chat.common.events.ChatEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The subscribers of this replica, by chat: the fan-out hands each committed event to the
 * subscribers of its chat. At every heartbeat each subscriber gets a heartbeat, and the chats
 * followed here are checked against MySQL (one query): an event whose fan-out message was lost,
 * with no later event to reveal the gap, is sent then.
 */
@ApplicationScoped
public class ChatStreams {

    private static final Logger LOG = Logger.getLogger(ChatStreams.class);

    private final Map<Long, Set<Subscription>> byChat = new ConcurrentHashMap<>();
    private final EventStore store;
    private final ApiConfig.Events config;

    public ChatStreams(EventStore store, ApiConfig config, MeterRegistry metrics) {
        this.store = store;
        this.config = config.events();
        metrics.gauge("chat.events.subscribers", byChat, chats -> chats.values().stream().mapToInt(Set::size).sum());
    }

    /**
     * The events of a chat for one client, from {@code since} (see {@link Subscription#start}). The
     * subscriber is registered before the first item is read, and removed when the client goes.
     */
    public Multi<StreamItem> follow(long chatId, Long since) {
        return Multi.createFrom().<StreamItem>emitter(emitter -> {
            Subscription subscription = new Subscription(chatId, store, Infrastructure.getDefaultWorkerPool(), config.buffer(),
                    config.replayPage());
            byChat.computeIfAbsent(chatId, chat -> ConcurrentHashMap.newKeySet()).add(subscription);
            emitter.onTermination(() -> remove(subscription));
            try {
                subscription.start(emitter, since);
            } catch (SQLException | RuntimeException e) {
                LOG.warnf("Could not start a stream of chat %d: %s", chatId, e.getMessage());
                emitter.fail(e);
            }
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

    @Scheduled(every = "${chat.events.heartbeat}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        if (byChat.isEmpty()) {
            return;
        }
        try {
            store.lastSeqs(byChat.keySet()).forEach((chat, seq) -> {
                Set<Subscription> subscribers = byChat.get(chat);
                if (subscribers != null) {
                    subscribers.forEach(subscription -> subscription.caughtUpTo(seq));
                }
            });
        } catch (SQLException e) {
            LOG.debugf("could not check the followed chats' last events: %s", e.getMessage());
        }
        byChat.values().forEach(subscribers -> subscribers.forEach(Subscription::heartbeat));
    }

    /** How many subscribers follow the chat here (for tests and metrics). */
    public int subscribers(long chatId) {
        Set<Subscription> subscribers = byChat.get(chatId);
        return subscribers == null ? 0 : subscribers.size();
    }

    private void remove(Subscription subscription) {
        subscription.close();
        byChat.computeIfPresent(subscription.chatId(), (chat, subscribers) -> {
            subscribers.remove(subscription);
            return subscribers.isEmpty() ? null : subscribers;
        });
    }
}
