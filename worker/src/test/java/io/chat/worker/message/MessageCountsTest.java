package io.chat.worker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.chat.worker.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

/** The reconciliation that bounds how far the counts can drift, even after a crash. */
@QuarkusTest
class MessageCountsTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MessageCounts counts;

    @Test
    void shouldRepairDriftedCountsAndRunOnOneWorkerAtATime() throws Exception {
        Database db = new Database(dataSource);
        long application = db.insertApplication();
        long chat = db.insertChat(application, 1);
        db.insertChat(application, 2);
        db.insertMessages(chat, 7);
        db.update("UPDATE chats SET messages_count = 99 WHERE id = " + chat);
        db.update("UPDATE applications SET chats_count = 0 WHERE id = " + application);

        try (Connection other = dataSource.getConnection()) {
            assertEquals(1, lock(other), "another worker is reconciling");
            counts.reconcile();
            assertEquals(99, db.longs("SELECT messages_count FROM chats WHERE id = " + chat).get(0));
            try (PreparedStatement release = other.prepareStatement("SELECT RELEASE_LOCK('chat.reconcile')")) {
                release.execute();
            }
        }

        counts.reconcile();

        assertEquals(7, db.longs("SELECT messages_count FROM chats WHERE id = " + chat).get(0));
        assertEquals(2, db.longs("SELECT chats_count FROM applications WHERE id = " + application).get(0));
    }

    private static int lock(Connection connection) throws Exception {
        try (PreparedStatement lock = connection.prepareStatement("SELECT GET_LOCK('chat.reconcile', 0)");
                ResultSet result = lock.executeQuery()) {
            result.next();
            return result.getInt(1);
        }
    }
}
