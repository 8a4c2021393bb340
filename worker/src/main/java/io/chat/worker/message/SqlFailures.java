package io.chat.worker.message;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;

/** Tells a failure that retrying can cure (an outage, a lock timeout) from one it cannot. */
final class SqlFailures {

    private SqlFailures() {
    }

    /**
     * Only errors about the data or the statement itself are permanent; everything else (connection
     * lost, pool exhausted, deadlock, lock wait timeout) is retried, since giving up would lose a
     * message that MySQL's coming back would have saved.
     */
    static boolean isPermanent(SQLException e) {
        if (e instanceof SQLDataException || e instanceof SQLIntegrityConstraintViolationException
                || e instanceof SQLSyntaxErrorException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("42"));
    }
}
