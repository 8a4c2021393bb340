package io.chat.api.page;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.api.error.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/**
 * Pages of lists and their opaque cursors: base64url of a small JSON object (with the app's
 * ObjectMapper: one key each, nothing after it), checked on the way back in.
 */
@ApplicationScoped
public class Pages {

    private final ObjectMapper json;

    public Pages(ObjectMapper json) {
        this.json = json;
    }

    /** A page request from the query parameters; a cursor keeps the order it was issued for. */
    public PageRequest request(String limit, String cursor, String order, SortOrder defaultOrder) {
        return request(limit, cursor, order, defaultOrder, null);
    }

    /**
     * The same for a filtered list: {@code filter} is the filters' fingerprint (null: none), and a
     * cursor of another list, filtered otherwise or not at all, is refused.
     */
    public PageRequest request(String limit, String cursor, String order, SortOrder defaultOrder, String filter) {
        int size = PageRequest.parseLimit(limit);
        SortOrder requested = null;
        if (order != null) {
            requested = SortOrder.fromParam(order)
                    .orElseThrow(() -> new InvalidRequestException("order", "must be asc or desc"));
        }
        if (cursor == null) {
            return new PageRequest(size, requested == null ? defaultOrder : requested, null, filter);
        }
        Cursor position = decode(cursor, Cursor.class)
                .filter(Cursor::isValid)
                .orElseThrow(() -> new InvalidRequestException("cursor", "is not a cursor this API issued"));
        if (!Objects.equals(filter, position.filter())) {
            throw new InvalidRequestException("cursor", "was issued for a list with other filters; use the filters it came with");
        }
        SortOrder walked = SortOrder.fromParam(position.order()).orElseThrow();
        if (requested != null && requested != walked) {
            throw new InvalidRequestException("order", "must match the cursor's order (" + walked.param() + ")");
        }
        return new PageRequest(size, walked, position.after(), filter);
    }

    /** The page from up to {@link PageRequest#fetchSize()} rows fetched in the request's order. */
    public <T> Page<T> page(List<T> rows, PageRequest request, ToIntFunction<T> number) {
        if (rows.size() <= request.limit()) {
            return new Page<>(rows, null);
        }
        List<T> data = rows.subList(0, request.limit());
        int last = number.applyAsInt(data.get(data.size() - 1));
        return new Page<>(List.copyOf(data), encode(new Cursor(last, request.order().param(), request.filter())));
    }

    public String encode(Object position) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsBytes(position));
        } catch (IOException e) {
            throw new IllegalStateException("a cursor is always serializable", e);
        }
    }

    /** The position a cursor holds, if it is one: what else it holds is checked by the caller. */
    public <T> Optional<T> decode(String value, Class<T> type) {
        try {
            return Optional.ofNullable(json.readValue(Base64.getUrlDecoder().decode(value), type));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }
}
