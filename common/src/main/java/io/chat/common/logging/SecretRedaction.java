package io.chat.common.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * No log line of the apps holds a credential, at any level and from any library: every record's
 * message and the messages of its exception chain go through {@link Secrets#redact}. Installed on
 * the console handler of both apps (quarkus.log.console.filter). A record with nothing to redact is
 * left as it is.
 */
@LoggingFilter(name = SecretRedaction.NAME)
public final class SecretRedaction implements Filter {

    public static final String NAME = "secret-redaction";

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String redacted = Secrets.redact(message);
        if (redacted != null && !redacted.equals(message)) {
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(redacted);
            }
            record.setParameters(null);
        }
        if (record.getThrown() != null && RedactedThrowable.needed(record.getThrown())) {
            record.setThrown(RedactedThrowable.of(record.getThrown()));
        }
        return true;
    }
}
