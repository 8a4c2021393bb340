package io.chat.api.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chat.api.error.InvalidRequestException;
import io.chat.api.identity.Caller;
import io.chat.api.message.Message;
import io.chat.api.names.LiveNames;
import io.chat.api.page.Page;
import io.chat.api.page.PageRequest;
import io.chat.api.page.Pages;
import io.chat.api.text.Characters;
import io.chat.common.search.MessageDocument;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Searches one chat's messages: every word of the query must occur in the body, as a whole word or
 * inside one, ignoring case. The words are matched as data (wildcard patterns with every special
 * character escaped) on a lowercased wildcard field; a text field ranks whole-word matches first.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class MessageSearch {

    public static final int MAX_QUERY_LENGTH = 200;

    /** Where a page of results ended: the score and number of its last hit. */
    record SearchCursor(double score, int after) {
    }

    private final SearchClient search;
    private final ObjectMapper json;
    private final Pages pages;
    private final LiveNames names;

    public MessageSearch(SearchClient search, ObjectMapper json, Pages pages, LiveNames names) {
        this.names = names;
        this.search = search;
        this.json = json;
        this.pages = pages;
    }

    /** Empty when the application or chat does not exist. */
    public Optional<Page<Message>> search(Caller caller, int chatNumber, String query, String limit, String cursor) {
        List<String> words = words(query);
        int size = PageRequest.parseLimit(limit);
        SearchCursor after = cursor == null ? null : pages.decode(cursor, SearchCursor.class)
                // Scores are finite and never negative: {"score":"NaN"} is no cursor we issued.
                .filter(position -> position.after() > 0 && Double.isFinite(position.score()) && position.score() >= 0)
                .orElseThrow(() -> new InvalidRequestException("cursor", "is not a cursor this API issued"));
        Optional<LiveNames.LiveChat> chat = names.chat(caller, chatNumber);
        if (chat.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(run(chat.get(), chatNumber, query, words, size, after));
    }

    private static List<String> words(String query) {
        if (query == null || query.isEmpty() || Characters.count(query) > MAX_QUERY_LENGTH) {
            throw new InvalidRequestException("q", "must be 1 to " + MAX_QUERY_LENGTH + " characters");
        }
        List<String> words = Arrays.stream(MessageDocument.searchText(query).split("\\s+")).filter(word -> !word.isEmpty()).toList();
        if (words.isEmpty()) {
            throw new InvalidRequestException("q", "must contain a word");
        }
        return words;
    }

    private Page<Message> run(LiveNames.LiveChat chat, int chatNumber, String query, List<String> words, int limit, SearchCursor after) {
        ObjectNode body = json.createObjectNode().put("size", limit + 1).put("track_total_hits", false);
        ObjectNode bool = body.putObject("query").putObject("bool");
        ArrayNode filter = bool.putArray("filter");
        filter.addObject().putObject("term").put(MessageDocument.APPLICATION_ID, chat.applicationId());
        filter.addObject().putObject("term").put(MessageDocument.CHAT_ID, chat.id());
        for (String word : words) {
            filter.addObject().putObject("wildcard").putObject(MessageDocument.SEARCH_TEXT).put("value", "*" + escapeWildcard(word) + "*");
        }
        bool.putArray("should").addObject().putObject("match").putObject(MessageDocument.BODY).put("query", query);
        ArrayNode sort = body.putArray("sort");
        sort.addObject().put("_score", "desc");
        sort.addObject().put(MessageDocument.NUMBER, "desc");
        if (after != null) {
            body.putArray("search_after").add(after.score()).add(after.after());
        }

        JsonNode hits = search.search(body).path("hits").path("hits");
        List<Message> messages = new ArrayList<>();
        JsonNode last = null;
        for (int i = 0; i < Math.min(limit, hits.size()); i++) {
            MessageDocument document = document(hits.get(i).path("_source"));
            last = hits.get(i).path("sort");
            if (containsAll(document.body(), words)) {
                messages.add(new Message(document.number(), chatNumber, document.sender(), document.body(),
                        Instant.parse(document.createdAt()), Instant.parse(document.updatedAt())));
            }
        }
        String next = hits.size() > limit ? pages.encode(new SearchCursor(last.get(0).asDouble(), last.get(1).asInt())) : null;
        return new Page<>(messages, next);
    }

    private MessageDocument document(JsonNode source) {
        try {
            return json.treeToValue(source, MessageDocument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a search document the worker did not write", e);
        }
    }

    /**
     * In a wildcard pattern only *, ? and \ are special: * and ? are escaped. A backslash becomes
     * ?, any one character, because OpenSearch 2.19 hangs on an escaped backslash in a wildcard
     * field query; {@link #containsAll} then drops what that let through.
     */
    static String escapeWildcard(String word) {
        StringBuilder pattern = new StringBuilder();
        for (char c : word.toCharArray()) {
            if (c == '\\') {
                pattern.append('?');
            } else {
                if (c == '*' || c == '?') {
                    pattern.append('\\');
                }
                pattern.append(c);
            }
        }
        return pattern.toString();
    }

    private static boolean containsAll(String body, List<String> words) {
        String text = MessageDocument.searchText(body);
        return words.stream().allMatch(text::contains);
    }
}
