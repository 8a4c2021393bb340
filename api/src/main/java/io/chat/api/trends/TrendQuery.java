package io.chat.api.trends;

import io.chat.api.error.InvalidRequestException;
import io.chat.api.filter.MessageFilter;
import io.chat.api.filter.TimeParameters;
import io.chat.api.identity.UserIds;
import io.chat.common.Timestamps;
import java.time.Duration;
import java.time.Instant;

/**
 * The parameters of trends and top hashtags, validated: each a 400 naming the parameter when wrong.
 *
 * @param chat a chat number, or null: the whole application
 * @param from inclusive; defaults to to minus 24 hours
 * @param to exclusive; defaults to now
 */
public record TrendQuery(Integer chat, String sender, String hashtag, Instant from, Instant to) {

    public static final Duration DEFAULT_SPAN = Duration.ofHours(24);
    private static final String CHAT_RULE = "must be a chat number of this application";

    public static TrendQuery of(String chat, String sender, String hashtag, String from, String to) {
        Instant end = TimeParameters.parse(to, "to");
        Instant start = TimeParameters.parse(from, "from");
        if (end == null) {
            end = Timestamps.now();
        }
        if (start == null) {
            start = end.minus(DEFAULT_SPAN);
        }
        if (start.isAfter(end)) {
            throw new InvalidRequestException("from", to == null ? "must not be after to (now, when to is left out)" : "must not be after to");
        }
        if (chat != null && !chat.matches("[1-9][0-9]{0,9}") || chat != null && Long.parseLong(chat) > Integer.MAX_VALUE) {
            throw new InvalidRequestException("chat", CHAT_RULE);
        }
        if (sender != null) {
            UserIds.check(sender, "sender");
        }
        return new TrendQuery(chat == null ? null : Integer.parseInt(chat), sender,
                hashtag == null ? null : MessageFilter.checkHashtag(hashtag), start, end);
    }

    /** The 400 for a chat number that names no live chat of the application. */
    public static InvalidRequestException unknownChat() {
        return new InvalidRequestException("chat", CHAT_RULE);
    }
}
