package io.chat.common.events;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Server-Sent Events client over a real socket: it parses the stream as a browser's EventSource
 * does. For the API's tests and the stack's (which take this test-jar without its dependencies: it
 * needs only the JDK and JUnit).
 */
public final class SseClient implements AutoCloseable {

    public record Event(String id, String type, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final Thread reader;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        if (response.statusCode() == 200) {
            reader.start();
        }
    }

    public static SseClient open(String uri, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri)).GET().header("Accept", "text/event-stream");
        headers.forEach(request::header);
        return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The body of an answer that is not a stream (a problem). */
    public String body() throws IOException {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** False once the stream ended: the server closed it, or the connection broke. */
    public boolean isOpen() {
        return reader.isAlive();
    }

    public int comments() {
        return comments.get();
    }

    public Event next(Duration within) throws InterruptedException {
        Event event = events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(event, "no event within " + within);
        return event;
    }

    public List<Event> next(int count, Duration within) throws InterruptedException {
        List<Event> received = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            received.add(next(within));
        }
        return received;
    }

    /** The next event if one comes within the time, else null. */
    public Event poll(Duration within) throws InterruptedException {
        return events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        reader.interrupt();
        response.body().close();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String type = null;
            StringBuilder data = null;
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, type == null ? "message" : type, data.toString()));
                    }
                    id = null;
                    type = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> type = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> {
                        }
                    }
                }
            }
        } catch (IOException e) {
            // closed
        }
    }
}
