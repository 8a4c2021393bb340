package io.chat.api.application.rest;

import io.chat.api.text.MaxCharacters;
import io.chat.api.text.TextPatterns;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of POST and PUT /applications. The name is validated after trimming. A JSON escape can
 * carry half a surrogate pair ("\ud800"), which no UTF-8 column can store: it is refused.
 */
public record ApplicationRequest(
        @Schema(minLength = 1, pattern = TextPatterns.NAME, description = "Trimmed; then 1 to 255 characters, not blank.")
        @NotBlank @MaxCharacters(255) @Pattern(regexp = "\\P{Cs}*", message = "must not contain an unpaired surrogate") String name) {

    public ApplicationRequest {
        name = name == null ? null : name.strip();
    }
}
