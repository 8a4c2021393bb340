package io.chat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Reads list FRONT_DOOR TOKEN CHATS CONCURRENCY FIGURE}: one pass of GET …/chats/{n}/messages
 * over chats 1..CHATS; prints the result FIGURE (bench/run makes the cache cold or warm around it).
 * <p>
 * {@code Reads search FRONT_DOOR TOKEN CHATS CONCURRENCY}: for each chat, a search for the first five
 * letters of the unique word in its newest message, which must find that message; prints the result
 * {@code search}.
 */
public final class Reads {

    private static final Pattern WORD = Pattern.compile("zq[a-z]{10}");

    private Reads() {
    }

    public static void main(String[] args) throws InterruptedException {
        Api api = new Api(args[1], args[2]);
        int chats = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        Result result = switch (args[0]) {
            case "list" -> ClosedLoop.run(args[5], api, concurrency, chats, i -> api.get(messagesOf(i + 1)), ClosedLoop.status(200));
            case "search" -> search(api, chats, concurrency);
            default -> throw new IllegalArgumentException("Reads list|search ..., not " + args[0]);
        };
        System.out.println(result.line());
    }

    private static Result search(Api api, int chats, int concurrency) throws InterruptedException {
        // Untimed: the newest message of each chat, and the first five letters of its word.
        String[] queries = new String[chats];
        int[] numbers = new int[chats];
        Result newest = ClosedLoop.run("newest", api, concurrency, chats, i -> api.get(messagesOf(i + 1) + "?limit=1"), (i, response) -> {
            JsonNode data = Api.json(response).path("data");
            Matcher word = WORD.matcher(data.path(0).path("body").asText());
            if (response.statusCode() != 200 || !word.find()) {
                return "no word in the newest message of chat " + (i + 1);
            }
            queries[i] = word.group().substring(0, 5);
            numbers[i] = data.path(0).path("number").asInt();
            return null;
        });
        if (newest.errors() > 0) {
            throw new IllegalStateException(newest.note());
        }
        return ClosedLoop.run("search", api, concurrency, chats, i -> api.get(messagesOf(i + 1) + "/search?q=" + queries[i]),
                (i, response) -> response.statusCode() != 200 ? String.valueOf(response.statusCode())
                        : Api.holds(response, numbers[i]) ? null : "not found");
    }

    private static String messagesOf(int chat) {
        return "/chats/" + chat + "/messages";
    }
}
