package io.chat.api.page;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/** Opaque cursors: base64url of a small JSON object, checked on the way back in. */
public final class Cursors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Cursors() {
    }

    public static String encode(Object position) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(position));
        } catch (IOException e) {
            throw new IllegalStateException("a cursor is always serializable", e);
        }
    }

    public static <T> Optional<T> decode(String value, Class<T> type) {
        try {
            return Optional.ofNullable(JSON.readValue(Base64.getUrlDecoder().decode(value), type));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }
}
