package io.chat.api.message;

import java.time.Instant;

/** A message as clients see it: named by its number within the chat. */
public record Message(int number, int chatNumber, String body, Instant createdAt, Instant updatedAt) {
}
