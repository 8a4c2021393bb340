package io.chat.api.identity.rest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of POST .../users/{user}/tokens, optional: how long the token lives, and which chats it reaches. */
public record UserTokenRequest(
        @Schema(minimum = "60", maximum = "604800", defaultValue = "86400", description = "Seconds; a day when left out.")
        @Min(60) @Max(604_800) Integer expiresIn,
        @Schema(minItems = 1, maxItems = 1000, uniqueItems = true, description = "Chat numbers of the application; "
                + "every chat when left out. A chat outside them answers 404 to the token, as if it did not exist.")
        @Size(min = 1, max = 1000) List<@NotNull @Min(1) Integer> chats) {
}
