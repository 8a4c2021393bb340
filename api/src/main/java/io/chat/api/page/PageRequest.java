package io.chat.api.page;

import io.chat.api.error.InvalidRequestException;

/**
 * A validated page request: keyset pagination over a per-parent number, so a walk never repeats an
 * item and never skips one that existed when it began, whatever is written meanwhile.
 *
 * @param filter the fingerprint of a filtered list's filters, or null
 */
public record PageRequest(int limit, SortOrder order, Integer after, String filter) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    public static int parseLimit(String limit) {
        return parseLimit(limit, DEFAULT_LIMIT, MAX_LIMIT);
    }

    /** A limit parameter of 1 to {@code max}, {@code defaultLimit} when left out; a 400 naming limit otherwise. */
    public static int parseLimit(String limit, int defaultLimit, int max) {
        if (limit == null) {
            return defaultLimit;
        }
        if (!limit.matches("[1-9][0-9]{0,2}") || Integer.parseInt(limit) > max) {
            throw new InvalidRequestException("limit", "must be an integer from 1 to " + max);
        }
        return Integer.parseInt(limit);
    }

    /** The JPQL condition and ordering for {@code column}, with the boundary bound to {@code :after}. */
    public String keyset(String column) {
        return order == SortOrder.ASC
                ? column + " > :after order by " + column + " asc"
                : column + " < :after order by " + column + " desc";
    }

    /** The value for {@code :after}: the cursor's position, or the start of the walk. */
    public int boundary() {
        if (after != null) {
            return after;
        }
        return order == SortOrder.ASC ? 0 : Integer.MAX_VALUE;
    }

    /** Identifies this page among the pages of one list, for the cache. */
    public String cacheKey() {
        return limit + ":" + order.param() + ":" + boundary() + (filter == null ? "" : ":" + filter);
    }

    /** How many rows to fetch: one more than the page, to learn whether another page follows. */
    public int fetchSize() {
        return limit + 1;
    }
}
