package io.chat.api.text;

/**
 * The text rules of request fields as JSON Schema patterns (ECMA-262, for the OpenAPI document),
 * exactly as the validation applies them: no half of a surrogate pair, whitespace as
 * {@link Character#isWhitespace} sees it (what String.strip trims and what makes a field blank).
 * They mean the same with and without the regex "u" flag: a surrogate pair is one character either way.
 */
public final class TextPatterns {

    private static final String WHITESPACE = "\\t-\\r\\x1C-\\x20\\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000";
    private static final String SPACE = "[" + WHITESPACE + "]";
    private static final String PAIR = "[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]";
    /** Any character but half a surrogate pair. */
    private static final String CHARACTER = "(?:[^\\uD800-\\uDFFF]|" + PAIR + ")";
    /** Any character but whitespace and half a surrogate pair. */
    private static final String VISIBLE = "(?:[^" + WHITESPACE + "\\uD800-\\uDFFF]|" + PAIR + ")";

    /** Not blank, whole characters only; the length is the schema's minLength and maxLength. */
    public static final String BODY = "^(?=[\\s\\S]*" + VISIBLE + ")" + CHARACTER + "*$";

    /** Whitespace around it is trimmed; what remains is 1 to 255 characters, not blank. */
    public static final String NAME = "^" + SPACE + "*" + VISIBLE + "(?:" + CHARACTER + "{0,253}" + VISIBLE + ")?" + SPACE + "*$";

    private TextPatterns() {
    }
}
