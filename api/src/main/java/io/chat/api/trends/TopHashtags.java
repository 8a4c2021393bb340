package io.chat.api.trends;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The most used hashtags of a time, most used first (then alphabetically). */
@Schema(requiredProperties = {"data"})
public record TopHashtags(List<Count> data) {

    @Schema(requiredProperties = {"hashtag", "count"})
    public record Count(@Schema(examples = "release") String hashtag,
            @Schema(minimum = "1", description = "Persisted, not deleted messages with it") long count) {
    }
}
