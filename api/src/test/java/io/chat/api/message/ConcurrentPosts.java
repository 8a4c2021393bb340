package io.chat.api.message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/** Posts messages all at once, over connections of their own, and waits for every answer. */
final class ConcurrentPosts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConcurrentPosts() {
    }

    /** {@code count} messages, the i-th to chat {@code chatOf(i)}, under {@code applications} (…/applications/). */
    static List<HttpResponse<String>> post(URI applications, String token, int count, IntUnaryOperator chatOf) {
        return post(applications, token, count, chatOf, i -> "message " + i);
    }

    /** As {@link #post(URI, String, int, IntUnaryOperator)}, the i-th with the body {@code bodyOf(i)}. */
    static List<HttpResponse<String>> post(URI applications, String token, int count, IntUnaryOperator chatOf,
            IntFunction<String> bodyOf) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> futures = IntStream.range(0, count)
                .mapToObj(i -> http.sendAsync(HttpRequest.newBuilder(applications.resolve(token + "/chats/" + chatOf.applyAsInt(i) + "/messages"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body(bodyOf.apply(i))))
                        .build(), HttpResponse.BodyHandlers.ofString()))
                .toList();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static String body(String text) {
        try {
            return JSON.writeValueAsString(Map.of("body", text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
