package io.chat.api.identity.rest;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A minted user token: to send as `Authorization: Bearer <token>` on the client paths. */
@Schema(name = "UserToken", requiredProperties = {"token", "user", "expires_at", "chats"})
public record UserTokenResponse(
        @Schema(description = "A signed JWT") String token,
        String user,
        Instant expiresAt,
        @Schema(nullable = true, description = "The chats it reaches; null: every chat of the application") List<Integer> chats) {
}
