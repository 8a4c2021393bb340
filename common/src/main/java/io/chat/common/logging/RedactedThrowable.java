package io.chat.common.logging;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * An exception as it prints, with its message redacted: same class name, stack trace, causes and
 * suppressed exceptions. Log formatters print a throwable through its toString and stack trace,
 * which this stand-in gives them.
 */
final class RedactedThrowable extends Throwable {

    private final String text;

    private RedactedThrowable(String text) {
        super(text);
        this.text = text;
    }

    static boolean needed(Throwable thrown) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = thrown; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (!t.toString().equals(Secrets.redact(t.toString()))) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (needed(suppressed)) {
                    return true;
                }
            }
        }
        return false;
    }

    static Throwable of(Throwable thrown) {
        return of(thrown, new IdentityHashMap<>());
    }

    private static Throwable of(Throwable thrown, Map<Throwable, Throwable> copies) {
        Throwable known = copies.get(thrown);
        if (known != null) {
            return known;
        }
        RedactedThrowable copy = new RedactedThrowable(Secrets.redact(thrown.toString()));
        copies.put(thrown, copy);
        copy.setStackTrace(thrown.getStackTrace());
        if (thrown.getCause() != null && thrown.getCause() != thrown) {
            copy.initCause(of(thrown.getCause(), copies));
        }
        for (Throwable suppressed : thrown.getSuppressed()) {
            copy.addSuppressed(of(suppressed, copies));
        }
        return copy;
    }

    @Override
    public String toString() {
        return text;
    }
}
