package io.chat.common.events;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket client over a real socket (the JDK's): it keeps every text frame the server sends,
 * counts pings, and remembers how the server closed. For the API's tests, the stack's and the
 * benchmark (it needs only the JDK).
 */
public final class SocketClient implements AutoCloseable {

    /** How the server closed the socket. */
    public record Closed(int code, String reason) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final CompletableFuture<Void> firstPing = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;

    private SocketClient() {
    }

    /** Opens a socket, or fails with the handshake's status: {@link #refusal}. */
    public static SocketClient open(String uri, Map<String, String> headers) throws InterruptedException, ExecutionException, TimeoutException {
        SocketClient client = new SocketClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        client.socket = builder.buildAsync(URI.create(uri), client.new Listener()).get(10, TimeUnit.SECONDS);
        return client;
    }

    /** The HTTP status a handshake was refused with, or -1 if it was accepted (the socket is closed again). */
    public static int refusal(String uri, Map<String, String> headers) throws InterruptedException, TimeoutException {
        try (SocketClient client = open(uri, headers)) {
            return -1;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw new IllegalStateException("the handshake failed without an answer", e.getCause());
        }
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next text frame from the server, or a failure after {@code within}. */
    public String next(Duration within) throws InterruptedException {
        String frame = frames.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within " + within + (closed.isDone() ? "; closed " + closed.join() : ""));
        }
        return frame;
    }

    /** The next {@code count} text frames. */
    public List<String> next(int count, Duration within) throws InterruptedException {
        List<String> received = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (received.size() < count) {
            received.add(next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
        }
        return received;
    }

    /** The frames received and not taken yet. */
    public List<String> drain() {
        List<String> taken = new ArrayList<>();
        frames.drainTo(taken);
        return taken;
    }

    public int pings() {
        return pings.get();
    }

    /** Waits for the server's first ping: it sends one as the socket's stream starts, so from then on it gets every event. */
    public SocketClient awaitLive(Duration within) throws InterruptedException, ExecutionException {
        try {
            firstPing.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no ping within " + within + (closed.isDone() ? "; closed " + closed.join() : ""), e);
        }
        return this;
    }

    /** How many frames were received and not taken yet. */
    public int pending() {
        return frames.size();
    }

    /** Sends a binary frame (the server takes JSON text only). */
    public void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** How the server closed the socket, within {@code within}. */
    public Closed closed(Duration within) throws InterruptedException, ExecutionException, TimeoutException {
        return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    /** Drops the connection without a close handshake, as a client that lost its network would. */
    public void abort() {
        socket.abort();
        closed.complete(new Closed(1006, "aborted"));
    }

    @Override
    public void close() {
        if (!closed.isDone() && !socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | CompletionException e) {
                // Gone already.
            }
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
            firstPing.complete(null);
            webSocket.request(1);
            return null; // the JDK answers with a pong
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Closed(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Closed(1006, String.valueOf(error.getMessage())));
        }
    }
}
