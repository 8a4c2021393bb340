package io.chat.common.sql;

import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientException;
import java.util.Locale;

/**
 * What a failed statement means, the same for both apps: the connection was lost, the transaction
 * lost a deadlock, a lock wait or the pool timed out (all worth a retry, or a 503), or the data or
 * the statement itself is wrong (never worth one). A server that is read-only is one through a
 * primary switch: the connection reached a replica that is not (yet) the primary.
 */
public final class SqlFailures {

    private static final int LOCK_WAIT_TIMEOUT = 1205;
    /**
     * ER_OPTION_PREVENTS_STATEMENT, "running with the --read-only option" (or --super-read-only):
     * a replica not yet promoted. The same code names other options too, which are not outages.
     */
    private static final int OPTION_PREVENTS_STATEMENT = 1290;

    private SqlFailures() {
    }

    /** SQLSTATE class 08: the connection failed or was lost; a commit in flight may or may not have happened. */
    public static boolean isConnectionLost(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("08");
    }

    /** 40001: a deadlock or serialization failure rolled the whole transaction back. */
    public static boolean isDeadlock(SQLException e) {
        return "40001".equals(e.getSQLState());
    }

    /** Worth trying again later: MySQL is down, busy, locked or read-only, never the data's fault. */
    public static boolean isTransient(SQLException e) {
        // Agroal's acquisition timeout ("Sorry, acquisition timeout!") carries no state: the pool
        // had no connection to give in time.
        boolean poolTimeout = e.getSQLState() == null && e.getMessage() != null
                && e.getMessage().toLowerCase().contains("acquisition timeout");
        return e instanceof SQLTransientException || poolTimeout || isConnectionLost(e) || isDeadlock(e)
                || e.getErrorCode() == LOCK_WAIT_TIMEOUT || isReadOnly(e);
    }

    /** The server takes no writes now: it is a replica, or a primary being switched. */
    public static boolean isReadOnly(SQLException e) {
        return e.getErrorCode() == OPTION_PREVENTS_STATEMENT && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).replace('_', '-').contains("read-only");
    }

    /**
     * Only errors about the data or the statement itself are permanent; everything else (connection
     * lost, pool exhausted, deadlock, lock wait timeout, a read-only server) is retried by the worker, since giving up
     * would lose a message that MySQL's coming back would have saved.
     */
    public static boolean isPermanent(SQLException e) {
        if (e instanceof SQLDataException || e instanceof SQLIntegrityConstraintViolationException
                || e instanceof SQLSyntaxErrorException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("42"));
    }
}
