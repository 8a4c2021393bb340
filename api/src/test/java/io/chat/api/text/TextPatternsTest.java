package io.chat.api.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The OpenAPI document's patterns say what the validation does (Java's regex reads them as ECMA-262 with "u" does). */
class TextPatternsTest {

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("Support desk", true),
                Arguments.of("  padded  ", true),
                Arguments.of("n".repeat(255), true),
                Arguments.of("\t" + "n".repeat(255) + "\u3000", true),
                Arguments.of("🚀".repeat(255), true),
                Arguments.of("n".repeat(256), false),
                Arguments.of("🚀".repeat(256), false),
                Arguments.of("", false),
                Arguments.of(" \t\n\u2003\u3000", false),
                Arguments.of("\u00A0", true), // no-break space is not whitespace to Java: a name
                Arguments.of("a\uD800b", false),
                Arguments.of("\uDC00", false));
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldMatchExactlyTheNamesTheApiAccepts(String name, boolean accepted) {
        String trimmed = name.strip();
        boolean valid = !trimmed.isBlank() && trimmed.codePointCount(0, trimmed.length()) <= 255 && wholeCharacters(trimmed);
        assertEquals(accepted, valid, "the sample itself");
        assertEquals(accepted, Pattern.compile(TextPatterns.NAME).matcher(name).find());
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("Hello", true),
                Arguments.of("  not trimmed  ", true),
                Arguments.of("line 1\nline 2", true),
                Arguments.of("🚀", true),
                Arguments.of(" ", false),
                Arguments.of("\n\r\t\u2028\u205F", false),
                Arguments.of("\u00A0", true),
                Arguments.of("x\uD83D", false),
                Arguments.of("\uDE80\uD83D", false));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void shouldMatchExactlyTheBodiesTheApiAccepts(String body, boolean accepted) {
        assertEquals(accepted, !body.isBlank() && wholeCharacters(body), "the sample itself");
        assertEquals(accepted, Pattern.compile(TextPatterns.BODY).matcher(body).find());
    }

    private static boolean wholeCharacters(String text) {
        return text.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE);
    }
}
