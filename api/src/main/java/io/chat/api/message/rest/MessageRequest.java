package io.chat.api.message.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of POST and PUT .../messages. The body is kept exactly as sent. */
public record MessageRequest(@NotBlank @Size(max = 10_000) String body) {
}
