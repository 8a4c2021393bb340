package io.chat.api.trends;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Messages created per interval: every bucket from the one holding from to the one before to. */
@Schema(requiredProperties = {"interval", "from", "to", "buckets"})
public record Trends(@Schema(examples = "1h") String interval, Instant from, Instant to, List<Bucket> buckets) {

    @Schema(requiredProperties = {"start", "count"})
    public record Bucket(@Schema(description = "Aligned to the interval in UTC") Instant start,
            @Schema(minimum = "0", description = "Persisted, not deleted messages created in the bucket, between from and to")
            long count) {
    }
}
