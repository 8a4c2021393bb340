package io.chat.api.chat;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A chat as clients see it: named by its number within the application. */
@Schema(requiredProperties = {"number", "messages_count", "created_at", "updated_at"})
public record Chat(@Schema(minimum = "1") int number, @Schema(minimum = "0") int messagesCount, Instant createdAt, Instant updatedAt) {
}
