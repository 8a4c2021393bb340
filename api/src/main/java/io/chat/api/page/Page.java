package io.chat.api.page;

import java.util.List;
import java.util.function.ToIntFunction;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of a list: {@code next_cursor} is null on the last page. */
public record Page<T>(List<T> data, @Schema(nullable = true) String nextCursor) {

    /** Builds the page from up to {@link PageRequest#fetchSize()} rows fetched in the request's order. */
    public static <T> Page<T> of(List<T> rows, PageRequest request, ToIntFunction<T> number) {
        if (rows.size() <= request.limit()) {
            return new Page<>(rows, null);
        }
        List<T> data = rows.subList(0, request.limit());
        int last = number.applyAsInt(data.get(data.size() - 1));
        return new Page<>(List.copyOf(data), new Cursor(last, request.order().param()).encode());
    }
}
