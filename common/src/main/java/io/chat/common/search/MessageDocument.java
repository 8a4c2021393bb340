package io.chat.common.search;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.chat.common.text.Hashtags;
import java.util.List;
import java.util.Locale;

/**
 * A message's search document, as the worker's indexer writes it and the API's search reads it and
 * queries it: the fields of the mapping (search/chat-messages.json), named once.
 *
 * @param sender who wrote it, or null (a keyword: filters and counts per sender)
 * @param searchText the body lowercased, a wildcard field: what partial matches are found in
 * @param hashtags the body's hashtags (keywords: filters and the counts of trends and top hashtags)
 * @param createdAt RFC 3339 with milliseconds, as in the API
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MessageDocument(
        @JsonProperty(APPLICATION_ID) long applicationId,
        @JsonProperty(CHAT_ID) long chatId,
        @JsonProperty(CHAT_NUMBER) int chatNumber,
        @JsonProperty(NUMBER) int number,
        @JsonProperty(SENDER) String sender,
        @JsonProperty(BODY) String body,
        @JsonProperty(SEARCH_TEXT) String searchText,
        @JsonProperty(HASHTAGS) List<String> hashtags,
        @JsonProperty(CREATED_AT) String createdAt,
        @JsonProperty(UPDATED_AT) String updatedAt) {

    public static final String APPLICATION_ID = "application_id";
    public static final String CHAT_ID = "chat_id";
    public static final String CHAT_NUMBER = "chat_number";
    public static final String NUMBER = "number";
    public static final String SENDER = "sender";
    public static final String BODY = "body";
    public static final String SEARCH_TEXT = "search_text";
    public static final String HASHTAGS = "hashtags";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";

    public static MessageDocument of(long applicationId, long chatId, int chatNumber, int number, String sender, String body,
            String createdAt, String updatedAt) {
        return new MessageDocument(applicationId, chatId, chatNumber, number, sender, body, searchText(body), Hashtags.in(body),
                createdAt, updatedAt);
    }

    /** What a query's words are matched against: the body, lowercased as the query is. */
    public static String searchText(String body) {
        return body.toLowerCase(Locale.ROOT);
    }
}
