package io.chat.api.page;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * Where the previous page ended: the last number it held and the order it was walked in. Opaque to
 * clients (base64url of a small JSON object), checked on the way back in.
 */
record Cursor(int after, String order) {

    private static final ObjectMapper JSON = new ObjectMapper();

    String encode() {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(this));
        } catch (IOException e) {
            throw new IllegalStateException("a cursor is always serializable", e);
        }
    }

    static Optional<Cursor> decode(String value) {
        try {
            Cursor cursor = JSON.readValue(Base64.getUrlDecoder().decode(value), Cursor.class);
            return cursor.after() > 0 && SortOrder.fromParam(cursor.order()).isPresent()
                    ? Optional.of(cursor)
                    : Optional.empty();
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }
}
