package io.chat.api.socket;

import io.chat.api.events.StreamItem;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One socket following its chat: it sends one item at a time and asks for the next once the previous
 * is written, so a client that reads slowly holds back only its own stream, which the subscription
 * cuts off past its buffer. A heartbeat goes as a ping. When the stream ends (the cut-off, a token
 * revoked, the chat deleted, MySQL unreachable) the socket closes with 1001 and the id to resume from.
 * It also holds what the socket's inbound frames are measured against: a token bucket of frames, when
 * it last said it was typing, and how many answers wait to be written. The inbound callbacks of one
 * socket run one at a time (SERIAL), so those need no lock.
 */
final class SocketSession implements MultiSubscriber<StreamItem> {

    /** How a socket ends, as the server closes it. */
    enum Ending {
        /** The stream ended: the client reconnects with since=<the last id>. */
        STREAM_ENDED(1001, null),
        FLOODED(1008, "too many frames"),
        UNREAD(1008, "answers not read"),
        TOKEN_REFUSED(1008, "the user token no longer counts"),
        TOO_LARGE(1009, "message over 64 KiB"),
        TRY_AGAIN_LATER(1013, "too many event streams; try again later");

        final int code;
        final String reason;

        Ending(int code, String reason) {
            this.code = code;
            this.reason = reason;
        }
    }

    /** Answers that may wait to be written (a client that does not read them is closed past it). */
    static final int MAX_PENDING = 64;

    private static final Logger LOG = Logger.getLogger(SocketSession.class);
    private static final Buffer PING = Buffer.buffer("heartbeat");

    private final WebSocketConnection connection;
    private final Frames frames;
    private final double perSecond;
    private final double burst;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Flow.Subscription upstream;
    private volatile String lastId;
    private double tokens;
    private long refilledAt = System.nanoTime();
    private long typedAt;
    /**
     * Frames refused, forgiven at the socket's rate: one admitted frame does not wipe them, since a
     * server that handles a flood slowly refills a token now and then (how fast depends on the
     * machine); only a client that slows down sees them go.
     */
    private double refusals;

    SocketSession(WebSocketConnection connection, Frames frames, int framesPerSecond) {
        this.connection = connection;
        this.frames = frames;
        this.perSecond = framesPerSecond;
        this.burst = 2.0 * framesPerSecond;
        this.tokens = burst;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        upstream = subscription;
        subscription.request(1);
    }

    @Override
    public void onItem(StreamItem item) {
        String frame = frames.event(item);
        if (item instanceof StreamItem.Event event) {
            lastId = String.valueOf(event.event().seq());
        } else if (item instanceof StreamItem.Reset reset) {
            lastId = String.valueOf(reset.seq());
        }
        (frame == null ? connection.sendPing(PING) : connection.sendText(frame)).subscribe().with(
                sent -> upstream.request(1),
                failure -> {
                    LOG.debugf("a socket's frame could not be written: %s", failure.getMessage());
                    upstream.cancel();
                    close(Ending.STREAM_ENDED);
                });
    }

    @Override
    public void onFailure(Throwable failure) {
        LOG.debugf("a socket's stream failed: %s", failure.getMessage());
        close(Ending.STREAM_ENDED);
    }

    @Override
    public void onCompletion() {
        close(Ending.STREAM_ENDED);
    }

    /** The client went: the stream stops, which frees its slot and its membership. */
    void cancel() {
        Flow.Subscription subscription = upstream;
        if (subscription != null) {
            subscription.cancel();
        }
    }

    /** An answer to the client (null: none). Past {@link #MAX_PENDING} unwritten, the client is closed. */
    void send(String frame) {
        if (frame == null || !connection.isOpen()) {
            return;
        }
        if (pending.incrementAndGet() > MAX_PENDING) {
            close(Ending.UNREAD);
            return;
        }
        connection.sendText(frame).subscribe().with(sent -> pending.decrementAndGet(), failure -> {
            pending.decrementAndGet();
            LOG.debugf("an answer to a socket was not sent: %s", failure.getMessage());
        });
    }

    /** Whether one more inbound frame is within the rate. */
    boolean takeFrame() {
        long now = System.nanoTime();
        double refilled = (now - refilledAt) / 1e9 * perSecond;
        tokens = Math.min(burst, tokens + refilled);
        refusals = Math.max(0, refusals - refilled);
        refilledAt = now;
        if (tokens >= 1) {
            tokens--;
            return true;
        }
        refusals++;
        return false;
    }

    /** Past twice the burst refused (less what the rate forgave), the client does not heed the errors: it is closed. */
    boolean flooding() {
        return refusals > 2 * burst;
    }

    /** Whether a typing frame now is one to pass on: at most one a second per socket. */
    boolean typingDue() {
        long now = System.nanoTime();
        if (typedAt != 0 && now - typedAt < 1_000_000_000L) {
            return false;
        }
        typedAt = now;
        return true;
    }

    void close(Ending ending) {
        if (connection.isOpen()) {
            String reason = ending.reason != null ? ending.reason
                    : lastId == null ? "stream ended; reconnect" : "stream ended; resume with since=" + lastId;
            connection.close(new CloseReason(ending.code, reason)).subscribe().with(closed -> {
            }, failure -> LOG.debugf("a socket did not close cleanly: %s", failure.getMessage()));
        }
    }
}
