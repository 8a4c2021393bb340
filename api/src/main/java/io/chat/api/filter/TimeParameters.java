package io.chat.api.filter;

import io.chat.api.error.InvalidRequestException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/** Timestamps in query parameters (from, to): RFC 3339 with seconds, any fraction, Z or an offset. */
public final class TimeParameters {

    public static final String RULE = "must be an RFC 3339 timestamp, like 2026-11-22T22:34:57.123Z";

    private static final Pattern RFC_3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    private TimeParameters() {
    }

    /**
     * The instant, or null when the parameter is absent; a 400 naming {@code field} when it is not
     * RFC 3339. Rounded up to the millisecond, what created_at keeps: for a value t with more
     * digits, "at or after t" and "before t" then hold of the same stored times as they would of t.
     */
    public static Instant parse(String value, String field) {
        if (value == null) {
            return null;
        }
        if (!RFC_3339.matcher(value).matches()) {
            throw new InvalidRequestException(field, RULE);
        }
        try {
            Instant instant = OffsetDateTime.parse(value).toInstant();
            Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
            return millis.equals(instant) ? millis : millis.plusMillis(1);
        } catch (DateTimeException e) {
            throw new InvalidRequestException(field, RULE); // 2026-02-30, 25:00 …
        }
    }

    /** A 400 naming from when it is after to (either may be null: no bound). */
    public static void checkOrder(Instant from, Instant to) {
        if (from != null && to != null && from.isAfter(to)) {
            throw new InvalidRequestException("from", "must not be after to");
        }
    }
}
