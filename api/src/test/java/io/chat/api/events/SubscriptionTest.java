package io.chat.api.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chat.common.events.ChatEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import jakarta.enterprise.inject.Vetoed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One subscriber's rules, with no heartbeat, fan-out or database: events in a list stand for
 * chat_events, and the work runs on the calling thread, so each step is deterministic.
 */
class SubscriptionTest {

    private static final long CHAT = 7;

    /** chat_events of one chat, as the worker committed them. (Vetoed: not a second EventStore bean for the Quarkus tests.) */
    @Vetoed
    private static final class Events extends EventStore {

        final List<ChatEvent> committed = new ArrayList<>();
        int reads;

        Events() {
            super(null);
        }

        ChatEvent commit() {
            ChatEvent event = new ChatEvent(CHAT, committed.size() + 1, ChatEvent.CREATED, committed.size() + 1, "{}");
            committed.add(event);
            return event;
        }

        @Override
        public long lastSeq(long chatId) {
            return committed.size();
        }

        @Override
        public List<ChatEvent> after(long chatId, long seq, int limit) {
            reads++;
            return committed.stream().filter(event -> event.seq() > seq).limit(limit).toList();
        }
    }

    private final Events events = new Events();

    private Subscription subscription(int buffer) {
        return new Subscription(CHAT, null, events, Runnable::run, buffer, 2);
    }

    private static AssertSubscriber<StreamItem> follow(Subscription subscription, Long since, long requested) {
        return Multi.createFrom().<StreamItem>emitter(emitter -> {
            try {
                subscription.start(emitter, since);
            } catch (Exception e) {
                emitter.fail(e);
            }
        }, BackPressureStrategy.ERROR).subscribe().withSubscriber(AssertSubscriber.create(requested));
    }

    private static List<Long> seqs(AssertSubscriber<StreamItem> client) {
        return client.getItems().stream().filter(StreamItem.Event.class::isInstance)
                .map(item -> ((StreamItem.Event) item).event().seq()).toList();
    }

    @Test
    void shouldReadAGapFromTheStoreAsSoonAsALaterEventRevealsIt() {
        Subscription subscription = subscription(100);
        AssertSubscriber<StreamItem> client = follow(subscription, null, 100);
        events.commit();
        events.commit();
        subscription.offer(events.commit()); // the fan-out lost 1 and 2

        assertEquals(List.of(1L, 2L, 3L), seqs(client));
    }

    @Test
    void shouldDropARepeatAndAnEventAReplayAlreadySent() {
        ChatEvent first = events.commit();
        ChatEvent second = events.commit();
        Subscription subscription = subscription(100);
        AssertSubscriber<StreamItem> client = follow(subscription, 0L, 100);
        subscription.offer(second);
        subscription.offer(first);
        subscription.offer(second);
        subscription.offer(events.commit());

        assertEquals(List.of(1L, 2L, 3L), seqs(client));
    }

    @Test
    void shouldReplayOnlyAsFastAsTheClientAsks() {
        for (int i = 0; i < 5; i++) {
            events.commit();
        }
        Subscription subscription = subscription(100);
        AssertSubscriber<StreamItem> client = follow(subscription, 0L, 2);
        assertEquals(List.of(1L, 2L), seqs(client));
        assertEquals(1, events.reads, "one page of two");

        client.request(3);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(client));
    }

    @Test
    void shouldSendOneResetThenWhatComesNext() {
        events.commit();
        Subscription subscription = subscription(100);
        AssertSubscriber<StreamItem> client = follow(subscription, 5L, 100);
        subscription.offer(events.commit());

        assertEquals(new StreamItem.Reset(1), client.getItems().get(0));
        assertEquals(List.of(2L), seqs(client));
    }

    @Test
    void shouldCutOffAClientThatLetsMoreThanTheBufferWait() {
        Subscription subscription = subscription(3);
        AssertSubscriber<StreamItem> client = follow(subscription, null, 0);
        for (int i = 0; i < 3; i++) {
            subscription.offer(events.commit());
        }
        assertTrue(!subscription.isClosed(), "three may wait");

        subscription.offer(events.commit());
        assertTrue(subscription.isClosed());
        client.assertCompleted();
    }

    @Test
    void shouldEndAStreamWhoseEventsAreGoneRatherThanSkipThem() {
        Subscription subscription = subscription(100);
        AssertSubscriber<StreamItem> client = follow(subscription, null, 100);
        subscription.offer(new ChatEvent(CHAT, 3, ChatEvent.CREATED, 3, "{}")); // 1 and 2 are not in the store

        client.assertCompleted();
        assertEquals(List.of(), seqs(client));
    }

    @Test
    void shouldEndAtOnceWhenClosedBeforeItStarted() {
        Subscription subscription = subscription(100);
        subscription.close();
        follow(subscription, null, 100).assertCompleted();
    }
}
