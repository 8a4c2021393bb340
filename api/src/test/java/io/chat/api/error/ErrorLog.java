package io.chat.api.error;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Catches every record logged at ERROR anywhere in this JVM. The app under test shares the JVM and
 * logs through JBoss LogManager, which is java.util.logging underneath: its ERROR is SEVERE's level.
 */
final class ErrorLog extends Handler {

    private final List<String> errors = new CopyOnWriteArrayList<>();

    /** Listens on the root logger until {@link #stop()}; attaching twice is attaching once. */
    void start() {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            if (handler == this) {
                return;
            }
        }
        root.addHandler(this);
    }

    void stop() {
        Logger.getLogger("").removeHandler(this);
    }

    /** What was logged at ERROR since the last drain, kept. */
    List<String> peek() {
        return List.copyOf(errors);
    }

    /** What was logged at ERROR since the last call; forgets it. */
    List<String> drain() {
        List<String> drained = List.copyOf(errors);
        errors.removeAll(drained);
        return drained;
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            Throwable thrown = record.getThrown();
            errors.add(record.getLoggerName() + ": " + record.getMessage() + (thrown == null ? "" : " " + thrown));
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
