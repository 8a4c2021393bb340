package io.chat.api.chat;

import java.time.Instant;

/** A chat as clients see it: named by its number within the application. */
public record Chat(int number, int messagesCount, Instant createdAt, Instant updatedAt) {
}
