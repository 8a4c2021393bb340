package io.chat.api.page;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of a list: {@code next_cursor} is null on the last page. */
@Schema(requiredProperties = {"data", "next_cursor"})
public record Page<T>(List<T> data, @Schema(nullable = true, description = "The cursor of the next page; null on the last.") String nextCursor) {
}
