package io.chat.worker.purge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.chat.worker.support.Database;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduled purge, running on its own against the real database. */
@QuarkusTest
class PurgeJobTest {

    private static final Duration PURGE_WITHIN = Duration.ofSeconds(20);

    @Inject
    AgroalDataSource dataSource;

    private Database db;

    @BeforeEach
    void database() {
        db = new Database(dataSource);
    }

    @Test
    void shouldPurgeTheChatsAndMessagesOfADeletedApplicationAndKeepItsTokenAsATombstone() throws SQLException {
        long deleted = db.insertApplication();
        long deletedChat = chatWithMessages(deleted, 1, 2500);
        long deletedSecondChat = chatWithMessages(deleted, 2, 3);
        long kept = db.insertApplication();
        long keptChat = chatWithMessages(kept, 1, 4);

        db.update("UPDATE applications SET deleted_at = NOW(3) WHERE id = " + deleted);

        await().atMost(PURGE_WITHIN).until(() -> db.count("applications WHERE purged_at IS NOT NULL AND id = " + deleted) == 1);
        assertEquals(0, db.count("chats WHERE application_id = " + deleted));
        assertEquals(0, db.count("messages WHERE chat_id IN (" + deletedChat + ", " + deletedSecondChat + ")"));
        assertEquals(1, db.count("applications WHERE name = '' AND id = " + deleted));
        assertEquals(1, db.count("chats WHERE deleted_at IS NULL AND id = " + keptChat));
        assertEquals(4, db.count("messages WHERE chat_id = " + keptChat));
    }

    @Test
    void shouldPurgeTheMessagesOfADeletedChatOnly() throws SQLException {
        long application = db.insertApplication();
        long deletedChat = chatWithMessages(application, 1, 1200);
        long keptChat = chatWithMessages(application, 2, 5);
        for (long chat : new long[] {deletedChat, keptChat}) {
            db.update("INSERT INTO chat_events (chat_id, seq, type, number, data, created_at) SELECT chat_id, number,"
                    + " 'message.created', number, '{}', NOW(3) FROM messages WHERE chat_id = " + chat);
            db.update("INSERT INTO chat_streams (chat_id, last_seq) SELECT chat_id, MAX(number) FROM messages WHERE chat_id = " + chat);
            db.update("INSERT INTO message_hashtags (chat_id, number, hashtag) SELECT chat_id, number, 'tag' FROM messages"
                    + " WHERE chat_id = " + chat);
        }

        db.update("UPDATE chats SET deleted_at = NOW(3) WHERE id = " + deletedChat);

        await().atMost(PURGE_WITHIN).until(() -> db.count("chats WHERE id = " + deletedChat) == 0);
        assertEquals(0, db.count("messages WHERE chat_id = " + deletedChat));
        assertEquals(0, db.count("chat_events WHERE chat_id = " + deletedChat));
        assertEquals(0, db.count("chat_streams WHERE chat_id = " + deletedChat));
        assertEquals(0, db.count("message_hashtags WHERE chat_id = " + deletedChat));
        assertEquals(5, db.count("message_hashtags WHERE chat_id = " + keptChat));
        assertEquals(5, db.count("messages WHERE chat_id = " + keptChat));
        assertEquals(5, db.count("chat_events WHERE chat_id = " + keptChat));
        assertEquals(1, db.count("chat_streams WHERE chat_id = " + keptChat));
        assertEquals(1, db.count("applications WHERE purged_at IS NULL AND deleted_at IS NULL AND id = " + application));
    }

    private long chatWithMessages(long application, int number, int messages) throws SQLException {
        long chat = db.insertChat(application, number);
        db.insertMessages(chat, messages);
        return chat;
    }
}
