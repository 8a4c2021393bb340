package io.chat.api.application;

import java.time.Instant;

/** An application as clients see it: named by its token, never by an internal id. */
public record Application(String token, String name, int chatsCount, Instant createdAt, Instant updatedAt) {
}
