package io.chat.api.chat;

import static io.chat.api.Fixtures.createApplication;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Real concurrency against the real database: all requests are in flight at once. */
@QuarkusTest
class ChatNumberingConcurrencyTest {

    private static final Pattern NUMBER = Pattern.compile("\"number\":(\\d+)");

    @TestHTTPResource("/applications/")
    URI applications;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void shouldGiveEachOf200ConcurrentChatsADistinctNumberFrom1To200() {
        String token = createApplication();

        List<HttpResponse<String>> responses = createChatsConcurrently(List.of(token), 200).get(token);

        assertEquals(Map.of(201, 200), statusCounts(responses));
        assertEquals(IntStream.rangeClosed(1, 200).boxed().toList(), sortedNumbers(responses));
        given().when().get("/applications/{token}", token).then().body("chats_count", equalTo(200));
        given().when().get("/applications/{token}/chats?limit=200", token)
                .then().body("data.number", equalTo(IntStream.rangeClosed(1, 200).boxed().toList()));
    }

    @Test
    void shouldKeepTheSequencesOfTwoApplicationsApartUnderConcurrency() {
        String first = createApplication();
        String second = createApplication();

        Map<String, List<HttpResponse<String>>> responses = createChatsConcurrently(List.of(first, second), 60);

        for (String token : List.of(first, second)) {
            assertEquals(Map.of(201, 60), statusCounts(responses.get(token)));
            assertEquals(IntStream.rangeClosed(1, 60).boxed().toList(), sortedNumbers(responses.get(token)));
        }
    }

    /** Sends {@code perApplication} creations for each token, interleaved, all in flight together. */
    private Map<String, List<HttpResponse<String>>> createChatsConcurrently(List<String> tokens, int perApplication) {
        Map<String, List<CompletableFuture<HttpResponse<String>>>> futures = new TreeMap<>();
        for (int i = 0; i < perApplication; i++) {
            for (String token : tokens) {
                HttpRequest request = HttpRequest.newBuilder(applications.resolve(token + "/chats"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build();
                futures.computeIfAbsent(token, t -> new ArrayList<>())
                        .add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            }
        }
        return futures.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> entry.getValue().stream().map(CompletableFuture::join).toList()));
    }

    private static Map<Integer, Integer> statusCounts(List<HttpResponse<String>> responses) {
        return responses.stream().collect(Collectors.toMap(HttpResponse::statusCode, r -> 1, Integer::sum));
    }

    private static List<Integer> sortedNumbers(List<HttpResponse<String>> responses) {
        return responses.stream()
                .map(response -> {
                    Matcher matcher = NUMBER.matcher(response.body());
                    return matcher.find() ? Integer.valueOf(matcher.group(1)) : -1;
                })
                .sorted()
                .toList();
    }
}
