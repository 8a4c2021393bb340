package io.chat.api.text;

/** Lengths as the contract counts them: characters are Unicode code points, not UTF-16 units. */
public final class Characters {

    private Characters() {
    }

    public static int count(CharSequence text) {
        return Character.codePointCount(text, 0, text.length());
    }
}
