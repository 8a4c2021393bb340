package io.chat.api.events;

import io.chat.api.identity.Caller;
import io.chat.common.events.ChatEvent;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One client following one chat. It sends the chat's events in seq order, each once, with no gap:
 * <ul>
 * <li>it tracks the last seq it sent; a live event at last + 1 goes out, an older one is dropped
 * (a repeat, or one a replay already sent), and a newer one first has the gap read from MySQL
 * (a fan-out message that was lost or is late);
 * <li>a replay (resuming after an id) is the same gap, read page by page as the client takes them;
 * <li>it is registered before the chat's last seq is read, so an event that commits in between is
 * either in the replay or waiting live, never in neither.
 * </ul>
 * Only one thread at a time works for it (the {@code work} counter), on the executor, and it sends
 * only what the client asked for (the emitter's demand, which Quarkus REST raises as each write
 * completes): live events wait in a queue meanwhile, and a client that lets more than
 * {@code buffer} of them pile up is cut off. It resumes from its last id when it reconnects.
 * Ephemeral events (members, typing) have no seq: they go out as they come, after the persisted
 * events already due, and past {@link #EPHEMERAL_BUFFER} waiting ones, new ones are dropped.
 */
public final class Subscription {

    private static final Logger LOG = Logger.getLogger(Subscription.class);
    /** Ephemeral events a subscriber may have waiting; more are dropped (they are never replayed anyway). */
    static final int EPHEMERAL_BUFFER = 100;

    private final long chatId;
    private final Caller.User user;
    private final EventStore store;
    private final Executor executor;
    private final int buffer;
    private final int page;
    private final Queue<ChatEvent> live = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger work = new AtomicInteger();
    private final AtomicLong known = new AtomicLong();
    private final Queue<ChatEvent> replay = new ArrayDeque<>();
    private final Queue<ChatEvent> ephemeral = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ephemeralWaiting = new AtomicInteger();
    private volatile MultiEmitter<? super StreamItem> emitter;
    private volatile boolean closed;
    private volatile boolean heartbeatDue;
    private boolean resetDue;
    private long last = -1;

    /** @param user the user of a user token, whose access is checked again at every heartbeat; null for an application */
    Subscription(long chatId, Caller.User user, EventStore store, Executor executor, int buffer, int page) {
        this.chatId = chatId;
        this.user = user;
        this.store = store;
        this.executor = executor;
        this.buffer = buffer;
        this.page = page;
    }

    public long chatId() {
        return chatId;
    }

    Caller.User user() {
        return user;
    }

    /**
     * Starts sending, once registered for live events.
     *
     * @param since the id to resume after (0: the whole history), or null to follow only what comes next;
     *        an id that is not one of this chat's gets one reset, then what comes next
     */
    void start(MultiEmitter<? super StreamItem> emitter, Long since) throws SQLException {
        long now = store.lastSeq(chatId);
        known.accumulateAndGet(now, Math::max);
        if (since == null) {
            last = now;
        } else if (since >= 0 && since <= now) {
            last = since;
        } else {
            last = now;
            resetDue = true;
        }
        // Something at once: NGINX passes a stream's headers on only with its first bytes, so an idle
        // stream would otherwise seem to open only at its first heartbeat (EventSource's open event).
        heartbeatDue = true;
        emitter.onRequest(requested -> schedule());
        this.emitter = emitter;
        if (closed) {
            emitter.complete(); // cut off before it started
            return;
        }
        schedule();
    }

    /** A live event of this chat, from the fan-out (any thread). */
    void offer(ChatEvent event) {
        if (closed) {
            return;
        }
        if (event.isEphemeral()) {
            if (ephemeralWaiting.incrementAndGet() > EPHEMERAL_BUFFER) {
                ephemeralWaiting.decrementAndGet();
                return;
            }
            ephemeral.add(event);
            schedule();
            return;
        }
        if (waiting.incrementAndGet() > buffer) {
            LOG.debugf("a subscriber of chat %d read too slowly: cut off after %d waiting events", chatId, buffer);
            close();
            return;
        }
        live.add(event);
        schedule();
    }

    /** The chat's last seq, as MySQL has it: anything up to it that was not sent is read and sent. */
    void caughtUpTo(long seq) {
        known.accumulateAndGet(seq, Math::max);
        schedule();
    }

    void heartbeat() {
        heartbeatDue = true;
        schedule();
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        closed = true;
        MultiEmitter<? super StreamItem> current = emitter;
        if (current != null) {
            current.complete();
        }
    }

    private void schedule() {
        if (emitter != null && work.getAndIncrement() == 0) {
            executor.execute(this::run);
        }
    }

    private void run() {
        int missed = 1;
        do {
            try {
                send();
            } catch (SQLException | RuntimeException e) {
                // The client reconnects and resumes from the last id it received.
                LOG.warnf("A stream of chat %d ended: could not read its events (%s)", chatId, e.getMessage());
                close();
            }
            missed = work.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Sends as much as the client asked for. */
    private void send() throws SQLException {
        MultiEmitter<? super StreamItem> out = emitter;
        if (closed || out.isCancelled()) {
            return;
        }
        if (resetDue && out.requested() > 0) {
            resetDue = false;
            out.emit(new StreamItem.Reset(last));
        }
        while (!resetDue && out.requested() > 0) {
            ChatEvent next = replay.poll();
            if (next == null) {
                next = nextLive();
            }
            if (next == null) {
                break;
            }
            last = next.seq();
            out.emit(new StreamItem.Event(next));
        }
        while (!resetDue && out.requested() > 0) {
            ChatEvent next = ephemeral.poll();
            if (next == null) {
                break;
            }
            ephemeralWaiting.decrementAndGet();
            out.emit(new StreamItem.Ephemeral(next));
        }
        if (heartbeatDue && out.requested() > 0) {
            heartbeatDue = false;
            out.emit(new StreamItem.Heartbeat());
        }
    }

    /** The next event to send after {@code last}, from the live queue or, for a gap, from MySQL; null if none. */
    private ChatEvent nextLive() throws SQLException {
        while (true) {
            ChatEvent head = live.peek();
            if (head != null && head.seq() <= last) {
                take();
                continue;
            }
            if (head != null && head.seq() == last + 1) {
                take();
                return head;
            }
            long upTo = Math.max(known.get(), head == null ? 0 : head.seq() - 1);
            if (upTo <= last) {
                return null;
            }
            List<ChatEvent> read = store.after(chatId, last, (int) Math.min(page, upTo - last));
            if (read.isEmpty()) {
                // Events that were committed are gone (the chat is being purged): end the stream
                // rather than skip them; a client that comes back finds the chat gone.
                LOG.warnf("A stream of chat %d ended: events %d to %d are not in MySQL", chatId, last + 1, upTo);
                close();
                return null;
            }
            replay.addAll(read);
            return replay.poll();
        }
    }

    private void take() {
        live.poll();
        waiting.decrementAndGet();
    }
}
