package io.chat.api.application;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An application as clients see it: named by its token, never by an internal id. */
@Schema(requiredProperties = {"token", "name", "chats_count", "created_at", "updated_at"})
public record Application(
        @Schema(pattern = "^[A-Za-z0-9_-]{22}$", description = "The application's only credential: keep it on your servers.") String token,
        String name,
        @Schema(minimum = "0") int chatsCount,
        Instant createdAt,
        Instant updatedAt) {
}
