package io.chat.api.application.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of POST and PUT /applications. The name is validated after trimming. A JSON escape can
 * carry half a surrogate pair ("\ud800"), which no UTF-8 column can store: it is refused.
 */
public record ApplicationRequest(
        @NotBlank @Size(max = 255) @Pattern(regexp = "\\P{Cs}*", message = "must not contain an unpaired surrogate") String name) {

    public ApplicationRequest {
        name = name == null ? null : name.strip();
    }
}
