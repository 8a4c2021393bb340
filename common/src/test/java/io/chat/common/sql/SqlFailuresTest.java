package io.chat.common.sql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import org.junit.jupiter.api.Test;

/** The errors MariaDB and MySQL send, as Connector/J reports them (MySqlFailoverIT sees the real ones). */
class SqlFailuresTest {

    @Test
    void shouldRetryWhatAPrimarySwitchOrAnOutageSends() {
        SQLException readOnly = new SQLException(
                "The MariaDB server is running with the --read-only option so it cannot execute this statement", "HY000", 1290);
        assertTrue(SqlFailures.isReadOnly(readOnly));
        assertTrue(SqlFailures.isTransient(readOnly));
        assertFalse(SqlFailures.isPermanent(readOnly));
        assertTrue(SqlFailures.isReadOnly(new SQLException(
                "The MySQL server is running with the --super-read-only option so it cannot execute this statement", "HY000", 1290)));
        assertTrue(SqlFailures.isTransient(new SQLException("Communications link failure", "08S01", 0)));
        assertTrue(SqlFailures.isTransient(new SQLException("Deadlock found", "40001", 1213)));
        assertTrue(SqlFailures.isTransient(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
        assertTrue(SqlFailures.isTransient(new SQLException("Sorry, acquisition timeout!")));
    }

    @Test
    void shouldNeverRetryWhatTheDataOrTheStatementCauses() {
        SQLException duplicate = new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", 1062);
        assertTrue(SqlFailures.isPermanent(duplicate));
        assertFalse(SqlFailures.isTransient(duplicate));
        assertFalse(SqlFailures.isReadOnly(duplicate));
        assertFalse(SqlFailures.isTransient(new SQLException("Unknown column", "42S22", 1054)));
        // The same code for another option: not a switch of primary, not worth waiting for.
        SQLException otherOption = new SQLException(
                "The MariaDB server is running with the --secure-file-priv option so it cannot execute this statement", "HY000", 1290);
        assertFalse(SqlFailures.isReadOnly(otherOption));
        assertFalse(SqlFailures.isTransient(otherOption));
    }
}
