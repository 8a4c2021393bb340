package io.chat.api.application.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of POST and PUT /applications. The name is validated after trimming. */
public record ApplicationRequest(@NotBlank @Size(max = 255) String name) {

    public ApplicationRequest {
        name = name == null ? null : name.strip();
    }
}
