package io.chat.api.error;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientException;

/** Tells a backing service being down or overloaded (worth a retry) from a bug. */
final class BackingServiceFailures {

    private BackingServiceFailures() {
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServiceUnavailableException
                    || cause instanceof ConnectException
                    || cause instanceof SocketTimeoutException
                    || cause instanceof SQLTransientException
                    || cause instanceof SQLException sql && isTransientSqlState(sql)) {
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

    private static boolean isTransientSqlState(SQLException e) {
        String state = e.getSQLState();
        // 08: connection failures; 40001: deadlock or serialization failure; 1205: lock wait timeout.
        // Agroal's acquisition timeout ("Sorry, acquisition timeout!") carries no state: the pool
        // had no connection to give in time.
        return state == null && e.getMessage() != null && e.getMessage().toLowerCase().contains("acquisition timeout")
                || state != null && (state.startsWith("08") || state.equals("40001"))
                || e.getErrorCode() == 1205;
    }
}
