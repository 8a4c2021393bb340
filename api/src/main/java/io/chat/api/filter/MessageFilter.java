package io.chat.api.filter;

import io.chat.api.error.InvalidRequestException;
import io.chat.api.identity.UserIds;
import io.chat.common.Hashes;
import io.chat.common.Timestamps;
import io.chat.common.text.Hashtags;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * The filters of GET …/messages, validated: each is null when not given.
 *
 * @param hashtag lowercased, without its #
 * @param from inclusive, on created_at
 * @param to exclusive, on created_at
 */
public record MessageFilter(String sender, String hashtag, Instant from, Instant to) {

    /** From the query parameters; a 400 naming the parameter that is wrong. */
    public static MessageFilter of(String sender, String hashtag, String from, String to) {
        if (sender != null) {
            UserIds.check(sender, "sender");
        }
        Instant start = TimeParameters.parse(from, "from");
        Instant end = TimeParameters.parse(to, "to");
        TimeParameters.checkOrder(start, end);
        return new MessageFilter(sender, hashtag == null ? null : checkHashtag(hashtag), start, end);
    }

    /** A hashtag parameter, lowercased; a 400 naming "hashtag" when it is not one. */
    public static String checkHashtag(String hashtag) {
        if (!Hashtags.isValid(hashtag)) {
            throw new InvalidRequestException("hashtag", Hashtags.RULE);
        }
        return Hashtags.normalize(hashtag);
    }

    public boolean isEmpty() {
        return sender == null && hashtag == null && from == null && to == null;
    }

    /**
     * What a cursor of this filtered list carries, so that it walks on only this list: a short hash
     * of the filters (null when there are none, as unfiltered cursors always were).
     */
    public String fingerprint() {
        if (isEmpty()) {
            return null;
        }
        String canonical = String.join("\n", Objects.toString(sender, ""), Objects.toString(hashtag, ""),
                from == null ? "" : Timestamps.RFC_3339_MILLIS.format(from), to == null ? "" : Timestamps.RFC_3339_MILLIS.format(to));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Hashes.sha256(canonical)).substring(0, 12);
    }
}
