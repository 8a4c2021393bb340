package io.chat.common.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hashtags of a message body, by the contract's rule: {@code #}, then a letter, then letters,
 * digits, {@code _} or {@code -}, letters and digits of every script, with the combining marks
 * their scripts write them with (the vowel signs of हिन्दी, an accent typed after its letter);
 * in NFC, lowercased, in order of first appearance, no repeats. The one implementation: the API puts
 * them on every Message (the 202's too), the worker stores and indexes them.
 *
 * <p>A hashtag is at most {@value #MAX_LENGTH} characters: a longer run is no hashtag (it could not
 * be stored, filtered or counted as one), and nothing of it is.
 */
public final class Hashtags {

    public static final int MAX_LENGTH = 100;

    /** For Bean Validation, the OpenAPI document and filters: a hashtag as a parameter, without its #. */
    public static final String PATTERN = "\\p{L}[\\p{L}\\p{M}\\p{Nd}_-]{0," + (MAX_LENGTH - 1) + "}";
    public static final String RULE = "must be a hashtag without its #: a letter, then up to " + (MAX_LENGTH - 1)
            + " letters, marks, digits, _ or -";

    private static final Pattern VALID = Pattern.compile(PATTERN);

    private Hashtags() {
    }

    public static List<String> in(String text) {
        if (text == null || text.indexOf('#') < 0) {
            return List.of();
        }
        String body = Normalizer.normalize(text, Normalizer.Form.NFC);
        Set<String> found = new LinkedHashSet<>();
        int length = body.length();
        int at = body.indexOf('#');
        while (at >= 0) {
            int start = at + 1;
            if (start < length && Character.isLetter(body.codePointAt(start))) {
                int end = start;
                int characters = 0;
                while (end < length && continues(body.codePointAt(end))) {
                    end += Character.charCount(body.codePointAt(end));
                    characters++;
                }
                if (characters <= MAX_LENGTH) {
                    found.add(normalize(body.substring(start, end)));
                }
                at = body.indexOf('#', end);
            } else {
                at = body.indexOf('#', start);
            }
        }
        return new ArrayList<>(found);
    }

    /**
     * Whether {@code hashtag} is one, as a filter names it: no #, any case and any normalization (it
     * is compared as {@link #normalize} makes it), so that every hashtag a Message carries is one.
     */
    public static boolean isValid(String hashtag) {
        return hashtag != null && VALID.matcher(Normalizer.normalize(hashtag, Normalizer.Form.NFC)).matches();
    }

    /** A hashtag as stored, indexed and compared: NFC, lowercased, NFC again (lowercasing İ adds a mark). */
    public static String normalize(String hashtag) {
        String lower = Normalizer.normalize(hashtag, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        return Normalizer.normalize(lower, Normalizer.Form.NFC);
    }

    private static boolean continues(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isLetter(codePoint) || Character.isDigit(codePoint) || codePoint == '_' || codePoint == '-'
                || type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
