package io.chat.api.error;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.transaction.RollbackException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.hibernate.exception.GenericJDBCException;
import org.junit.jupiter.api.Test;

/** Which failures answer 503 (retry later) rather than 500. */
class BackingServiceFailuresTest {

    @Test
    void shouldTreatAnExhaustedConnectionPoolAsUnavailable() {
        SQLException agroal = new SQLException("Sorry, acquisition timeout!");
        assertTrue(BackingServiceFailures.isTransient(agroal));
        assertTrue(BackingServiceFailures.isTransient(new GenericJDBCException("Unable to acquire JDBC Connection", agroal)));
    }

    @Test
    void shouldTreatLostConnectionsDeadlocksAndLockTimeoutsAsUnavailable() {
        assertTrue(BackingServiceFailures.isTransient(new SQLException("link failure", "08S01")));
        assertTrue(BackingServiceFailures.isTransient(new SQLException("Deadlock found", "40001", 1213)));
        assertTrue(BackingServiceFailures.isTransient(new SQLException("Lock wait timeout exceeded", "HY000", 1205)));
        assertTrue(BackingServiceFailures.isTransient(new RuntimeException(new ConnectException("refused"))));
    }

    @Test
    void shouldTreatACommitThatLostItsConnectionAsUnavailable() {
        // What Narayana throws when MySQL goes away during the commit: the cause is suppressed.
        RollbackException commit = new RollbackException("ARJUNA016053: Could not commit transaction.");
        commit.addSuppressed(new IllegalStateException(new SQLException("Communications link failure", "08S01")));

        assertTrue(BackingServiceFailures.isTransient(new RuntimeException("Error invoking subclass method", commit)));
    }

    @Test
    void shouldTreatBugsAsBugs() {
        assertFalse(BackingServiceFailures.isTransient(new IllegalStateException("a bug")));
        assertFalse(BackingServiceFailures.isTransient(new SQLException("You have an error in your SQL syntax", "42000", 1064)));
    }
}
