package io.chat.api.message.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of POST and PUT .../messages. The body is kept exactly as sent, so it must be text that can
 * be: half a surrogate pair ("\ud800" in JSON) would come back from MySQL as "?".
 */
public record MessageRequest(
        @NotBlank @Size(max = 10_000) @Pattern(regexp = "\\P{Cs}*", message = "must not contain an unpaired surrogate") String body) {
}
