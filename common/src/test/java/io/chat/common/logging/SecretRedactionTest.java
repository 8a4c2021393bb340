package io.chat.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretRedactionTest {

    private static final String TOKEN = "q7Vb0mX3nK9sT2dLw8yZcA";
    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GET /applications/" + TOKEN + "/chats/1 failed | GET /applications/<token>/chats/1 failed",
            "http://api:8080/APPLICATIONS/" + TOKEN + "?x=1 | http://api:8080/APPLICATIONS/<token>?x=1",
            "/chats/1/events?since=3&access_token=" + JWT + "&x=1 | /chats/1/events?since=3&access_token=<redacted>&x=1",
            "Authorization: Bearer " + JWT + " | Authorization: Bearer <redacted>",
            "token " + JWT + " seen | token <jwt> seen",
            "nothing secret here: chat 12, message 3 | nothing secret here: chat 12, message 3"})
    void shouldRedactEveryCredentialAndNothingElse(String text, String expected) {
        assertEquals(expected, Secrets.redact(text));
    }

    @Test
    void shouldRedactTheFormattedMessageOfARecord() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "request to %s took %d ms", ExtLogRecord.FormatStyle.PRINTF,
                SecretRedactionTest.class.getName());
        record.setParameters(new Object[] {"/applications/" + TOKEN + "/chats", 12});

        assertTrue(new SecretRedaction().isLoggable(record));

        assertEquals("request to /applications/<token>/chats took 12 ms", record.getFormattedMessage());
    }

    @Test
    void shouldRedactTheMessagesOfAnExceptionChainAndKeepItsStackTrace() {
        IllegalStateException cause = new IllegalStateException("no chat at /applications/" + TOKEN + "/chats/9");
        RuntimeException thrown = new RuntimeException("request failed", cause);
        thrown.addSuppressed(new IllegalArgumentException("Bearer " + JWT));
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "failed", SecretRedactionTest.class.getName());
        record.setThrown(thrown);

        new SecretRedaction().isLoggable(record);

        String printed = printed(record.getThrown());
        assertFalse(printed.contains(TOKEN), printed);
        assertFalse(printed.contains(JWT), printed);
        assertTrue(printed.startsWith("java.lang.RuntimeException: request failed"), printed);
        assertTrue(printed.contains("Caused by: java.lang.IllegalStateException: no chat at /applications/<token>/chats/9"), printed);
        assertTrue(printed.contains("Suppressed: java.lang.IllegalArgumentException: Bearer <redacted>"), printed);
        assertTrue(printed.contains("at io.chat.common.logging.SecretRedactionTest.shouldRedactTheMessagesOf"), printed);
    }

    @Test
    void shouldLeaveARecordWithoutSecretsAsItIs() {
        RuntimeException thrown = new RuntimeException("plain");
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "chat %d", ExtLogRecord.FormatStyle.PRINTF, "x");
        record.setParameters(new Object[] {7});
        record.setThrown(thrown);

        new SecretRedaction().isLoggable(record);

        assertSame(thrown, record.getThrown());
        assertEquals("chat 7", record.getFormattedMessage());
    }

    private static String printed(Throwable thrown) {
        StringWriter out = new StringWriter();
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
