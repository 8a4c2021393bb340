package io.chat.api.message.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.chat.api.identity.UserIds;
import io.chat.api.text.MaxCharacters;
import io.chat.api.text.TextPatterns;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of POST .../messages: the body, as for an edit, and who wrote it. With a user token the
 * sender is the token's user (another one is a 403).
 */
// Without sender when none was given: an Idempotency-Key fingerprints the request as it always did.
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewMessageRequest(
        @Schema(minLength = 1, maxLength = 10_000, pattern = TextPatterns.BODY, description = "Kept exactly as sent; not blank.")
        @NotBlank @MaxCharacters(10_000) @Pattern(regexp = "\\P{Cs}*", message = "must not contain an unpaired surrogate") String body,
        @Schema(pattern = "^" + UserIds.PATTERN + "$", description = "The application's own id for the user who wrote it. "
                + "Optional; with a user token it is the token's user.")
        @Pattern(regexp = UserIds.PATTERN, message = UserIds.RULE) String sender) {
}
