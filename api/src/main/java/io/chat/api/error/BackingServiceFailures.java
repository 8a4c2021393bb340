package io.chat.api.error;

import io.chat.common.sql.SqlFailures;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;

/** Tells a backing service being down or overloaded (worth a retry) from a bug. */
final class BackingServiceFailures {

    private BackingServiceFailures() {
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServiceUnavailableException
                    || cause instanceof ConnectException
                    || cause instanceof SocketTimeoutException
                    || cause instanceof SQLException sql && SqlFailures.isTransient(sql)) {
                return true;
            }
            // A failed commit carries why as a suppressed exception (Narayana's RollbackException).
            for (Throwable suppressed : cause.getSuppressed()) {
                if (isTransient(suppressed)) {
                    return true;
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
