package io.chat.api.message;

import io.chat.api.identity.UserIds;
import io.chat.common.text.Hashtags;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A message as clients see it: named by its number within the chat. */
@Schema(requiredProperties = {"number", "chat_number", "sender", "body", "hashtags", "created_at", "updated_at"})
public record Message(
        @Schema(minimum = "1") int number,
        @Schema(minimum = "1") int chatNumber,
        @Schema(nullable = true, pattern = "^" + UserIds.PATTERN + "$", description = "Who wrote it: the application's own id "
                + "for one of its users; null when none was given (and in the 202 of an edit accepted before its create was "
                + "persisted).") String sender,
        String body,
        @Schema(description = "The body's hashtags: # then a letter, then letters, combining marks, digits, _ or - (of every "
                + "script), at most " + Hashtags.MAX_LENGTH + " characters; in NFC, lowercased, in order of first appearance, no repeats.",
                examples = "[\"release\", \"q4\"]") List<String> hashtags,
        @Schema(type = SchemaType.STRING, format = "date-time", nullable = true, examples = "2026-11-22T22:34:57.123Z",
                description = "When the API accepted the create, RFC 3339 in UTC with milliseconds. Null only in the 202 of "
                        + "an edit accepted before its create was persisted.") Instant createdAt,
        Instant updatedAt) {

    /** A page cached before messages had hashtags reads back without them: they are the body's. */
    public Message {
        hashtags = hashtags == null ? Hashtags.in(body) : List.copyOf(hashtags);
    }

    /** A message with the hashtags of its body: where every Message gets them. */
    public Message(int number, int chatNumber, String sender, String body, Instant createdAt, Instant updatedAt) {
        this(number, chatNumber, sender, body, Hashtags.in(body), createdAt, updatedAt);
    }
}
