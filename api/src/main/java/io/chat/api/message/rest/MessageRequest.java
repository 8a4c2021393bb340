package io.chat.api.message.rest;

import io.chat.api.text.MaxCharacters;
import io.chat.api.text.TextPatterns;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of POST and PUT .../messages. The body is kept exactly as sent, so it must be text that can
 * be: half a surrogate pair ("\ud800" in JSON) would come back from MySQL as "?".
 */
public record MessageRequest(
        @Schema(minLength = 1, maxLength = 10_000, pattern = TextPatterns.BODY, description = "Kept exactly as sent; not blank.")
        @NotBlank @MaxCharacters(10_000) @Pattern(regexp = "\\P{Cs}*", message = "must not contain an unpaired surrogate") String body) {
}
