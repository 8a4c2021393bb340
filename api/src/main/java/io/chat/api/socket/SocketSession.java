package io.chat.api.socket;

import io.chat.api.events.StreamItem;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.Flow;
import org.jboss.logging.Logger;

/**
 * One socket following its chat: it sends one item at a time and asks for the next once the previous
 * is written, so a client that reads slowly holds back only its own stream, which the subscription
 * cuts off past its buffer. A heartbeat goes as a ping. When the stream ends (the cut-off, a token
 * revoked, the chat deleted, MySQL unreachable) the socket closes with 1001 and the id to resume from.
 * It also holds what the socket's inbound frames are measured against: a token bucket of frames, and
 * when this socket last said it was typing.
 */
final class SocketSession implements MultiSubscriber<StreamItem> {

    /** Going away: the stream ended, and the client reconnects with since=<the last id>. */
    static final int STREAM_ENDED = 1001;
    /** Message too big: over 64 KiB. */
    static final int TOO_LARGE = 1009;
    /** Policy violation: a flood of frames past the rate limit. */
    static final int FLOODED = 1008;

    private static final Logger LOG = Logger.getLogger(SocketSession.class);
    private static final Buffer PING = Buffer.buffer("heartbeat");

    private final WebSocketConnection connection;
    private final Frames frames;
    private final double perSecond;
    private final double burst;
    private volatile Flow.Subscription upstream;
    private volatile String lastId;
    private double tokens;
    private long refilledAt = System.nanoTime();
    private long typedAt;
    private int refusedInARow;

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
                });
    }

    @Override
    public void onFailure(Throwable failure) {
        LOG.debugf("a socket's stream failed: %s", failure.getMessage());
        close(STREAM_ENDED);
    }

    @Override
    public void onCompletion() {
        close(STREAM_ENDED);
    }

    /** The client went: the stream stops, which frees its slot and its membership. */
    void cancel() {
        Flow.Subscription subscription = upstream;
        if (subscription != null) {
            subscription.cancel();
        }
    }

    /** Whether one more inbound frame is within the rate (frames come one at a time, on one thread). */
    boolean takeFrame() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
        if (tokens >= 1) {
            tokens--;
            refusedInARow = 0;
            return true;
        }
        refusedInARow++;
        return false;
    }

    /** Past twice the burst refused in a row, the client does not heed the errors: it is closed. */
    boolean flooding() {
        return refusedInARow > 2 * burst;
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

    void close(int code) {
        if (connection.isOpen()) {
            String reason = code != STREAM_ENDED ? "too many frames"
                    : lastId == null ? "stream ended; reconnect" : "stream ended; resume with since=" + lastId;
            connection.close(new CloseReason(code, reason)).subscribe().with(closed -> {
            }, failure -> LOG.debugf("a socket did not close cleanly: %s", failure.getMessage()));
        }
    }
}
