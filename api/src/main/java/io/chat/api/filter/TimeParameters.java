package io.chat.api.filter;

import io.chat.api.error.InvalidRequestException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Timestamps in query parameters (from, to): RFC 3339 with seconds, up to nine fraction digits, Z or
 * an offset (t and z in either case), in the years 0001 to 9999 once in UTC.
 */
public final class TimeParameters {

    public static final String RULE = "must be an RFC 3339 timestamp, like 2026-11-22T22:34:57.123Z";

    private static final Pattern RFC_3339 =
            Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");

    /** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z: what DATETIME holds. */
    private static final Instant FIRST = Instant.ofEpochSecond(-62_135_596_800L);
    private static final Instant AFTER_LAST = Instant.ofEpochSecond(253_402_300_800L);

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
        String text = value.toUpperCase(Locale.ROOT);
        if (!RFC_3339.matcher(text).matches()) {
            throw new InvalidRequestException(field, RULE);
        }
        try {
            Instant instant = OffsetDateTime.parse(text).toInstant();
            Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
            Instant rounded = millis.equals(instant) ? millis : millis.plusMillis(1);
            if (rounded.isBefore(FIRST) || !rounded.isBefore(AFTER_LAST)) {
                throw new InvalidRequestException(field, "must be in the years 0001 to 9999 (UTC)");
            }
            return rounded;
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
