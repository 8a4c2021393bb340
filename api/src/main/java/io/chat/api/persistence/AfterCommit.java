package io.chat.api.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs a step once the current transaction has committed (cache invalidations, Redis copies), or
 * once it has rolled back (undoing what was written outside it beforehand).
 */
@ApplicationScoped
public class AfterCommit {

    private final TransactionSynchronizationRegistry transactions;

    public AfterCommit(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    public void run(Runnable step) {
        when(Status.STATUS_COMMITTED, step);
    }

    public void onRollback(Runnable step) {
        when(Status.STATUS_ROLLEDBACK, step);
    }

    private void when(int outcome, Runnable step) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == outcome) {
                    step.run();
                }
            }
        });
    }
}
