package io.chat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One application of the chat API, through its front door. Requests are sent asynchronously on one
 * client whose callbacks run on a small fixed pool, so that however many requests wait for an
 * answer, no thread waits with them.
 */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String frontDoor;
    private final String token;

    Api(String frontDoor, String token) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(4, runnable -> {
                    Thread thread = new Thread(runnable, "bench-http");
                    thread.setDaemon(true);
                    return thread;
                }))
                .build();
        this.frontDoor = frontDoor;
        this.token = token;
    }

    /** POST /applications: the new application's token. */
    static String createApplication(String frontDoor, String name) {
        Api anonymous = new Api(frontDoor, "");
        HttpRequest request = anonymous.post("/applications", Map.of("name", name));
        return json(anonymous.expect(request, 201)).get("token").asText();
    }

    String token() {
        return token;
    }

    /** POST …/chats, expecting a 201: the new chat's number. */
    int createChat() {
        HttpRequest request = post(applicationPath("/chats"), Map.of());
        return json(expect(request, 201)).get("number").asInt();
    }

    HttpRequest postMessage(int chat, String body) {
        return post(applicationPath("/chats/" + chat + "/messages"), Map.of("body", body));
    }

    /** GET of a path under the application, e.g. "/chats/1/messages". */
    HttpRequest get(String path) {
        return builder(applicationPath(path)).GET().build();
    }

    CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a page of messages holds the message with this number. */
    static boolean holds(HttpResponse<String> page, int number) {
        for (JsonNode message : json(page).path("data")) {
            if (message.path("number").asInt() == number) {
                return true;
            }
        }
        return false;
    }

    /** "zq" and ten random lowercase letters: a word no other message holds, to search it by. */
    static String uniqueWord() {
        StringBuilder word = new StringBuilder("zq");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 10; i++) {
            word.append((char) ('a' + random.nextInt(26)));
        }
        return word.toString();
    }

    private HttpResponse<String> expect(HttpRequest request, int status) {
        HttpResponse<String> response = send(request).join();
        if (response.statusCode() != status) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ", not " + status + ": " + response.body());
        }
        return response;
    }

    private String applicationPath(String path) {
        return "/applications/" + token + path;
    }

    private HttpRequest.Builder builder(String path) {
        return HttpRequest.newBuilder(URI.create(frontDoor + path)).timeout(TIMEOUT);
    }

    private HttpRequest post(String path, Map<String, String> fields) {
        try {
            return builder(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(fields)))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
