package io.chat.api.trends;

import io.chat.api.error.InvalidRequestException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bucket's width: a whole number of minutes, hours or days, at least 1m; buckets are aligned to it
 * in UTC (to whole multiples of it since the epoch), as the search engine's fixed_interval is.
 */
public record Interval(String text, long millis) {

    public static final String DEFAULT = "1h";
    public static final String RULE = "must be a whole number of m, h or d, at least 1m (like 15m, 1h, 7d)";

    private static final Pattern VALID = Pattern.compile("([1-9][0-9]{0,6})([mhd])");

    public static Interval parse(String value) {
        String text = value == null ? DEFAULT : value;
        Matcher matcher = VALID.matcher(text);
        if (!matcher.matches()) {
            throw new InvalidRequestException("interval", RULE);
        }
        long unit = switch (matcher.group(2)) {
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        return new Interval(text, Long.parseLong(matcher.group(1)) * unit);
    }

    /** The start of the bucket that holds {@code epochMillis}. */
    public long floor(long epochMillis) {
        return Math.floorDiv(epochMillis, millis) * millis;
    }
}
