package io.chat.api.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.Test;

/** The app's console log, where every line of bin/stack's and docker-compose's logs comes from, redacts credentials. */
@QuarkusTest
class LogRedactionTest {

    @Test
    void shouldRedactTokensInEveryRecordTheConsoleWrites() {
        List<ConsoleHandler> consoles = consoles(Logger.getLogger("").getHandlers(), new ArrayList<>());
        assertFalse(consoles.isEmpty(), "no console handler");

        for (ConsoleHandler console : consoles) {
            ExtLogRecord record = new ExtLogRecord(Level.FINE, "GET %s", ExtLogRecord.FormatStyle.PRINTF, "test");
            record.setParameters(new Object[] {"/applications/q7Vb0mX3nK9sT2dLw8yZcA/chats"});
            assertNotNull(console.getFilter(), "the console handler has no filter");
            console.getFilter().isLoggable(record);
            assertEquals("GET /applications/<token>/chats", record.getFormattedMessage());
        }
    }

    private static List<ConsoleHandler> consoles(Handler[] handlers, List<ConsoleHandler> found) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler console) {
                found.add(console);
            } else if (handler instanceof ExtHandler nested) {
                consoles(nested.getHandlers(), found);
            }
        }
        return found;
    }
}
