package io.chat.api.identity;

import io.chat.api.error.InvalidRequestException;
import java.util.regex.Pattern;

/**
 * The application's own ids for its users, as senders and in user tokens: 1 to 64 characters of
 * [A-Za-z0-9_.@:-]. "." and ".." are refused too: as a path segment (/users/../tokens) they would
 * name another path.
 */
public final class UserIds {

    /** For Bean Validation and, anchored, the OpenAPI document's pattern. */
    public static final String PATTERN = "(?!\\.{1,2}$)[A-Za-z0-9_.@:-]{1,64}";
    public static final String RULE = "must be 1 to 64 characters of A-Z, a-z, 0-9, _ . @ : and -";

    private static final Pattern VALID = Pattern.compile(PATTERN);

    private UserIds() {
    }

    public static boolean isValid(String user) {
        return user != null && VALID.matcher(user).matches();
    }

    /** {@code user}, or a 400 naming {@code field}. */
    public static String check(String user, String field) {
        if (!isValid(user)) {
            throw new InvalidRequestException(field, RULE);
        }
        return user;
    }
}
