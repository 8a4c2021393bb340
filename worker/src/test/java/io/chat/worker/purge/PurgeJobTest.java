package io.chat.worker.purge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.chat.common.Timestamps;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The scheduled purge, running on its own against the real database. */
@QuarkusTest
class PurgeJobTest {

    private static final Duration PURGE_WITHIN = Duration.ofSeconds(20);

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldPurgeTheChatsAndMessagesOfADeletedApplicationAndKeepItsTokenAsATombstone() throws SQLException {
        long deleted = insertApplication();
        long deletedChat = insertChat(deleted, 1, 2500);
        long deletedSecondChat = insertChat(deleted, 2, 3);
        long kept = insertApplication();
        long keptChat = insertChat(kept, 1, 4);

        update("UPDATE applications SET deleted_at = NOW(3) WHERE id = " + deleted);

        await().atMost(PURGE_WITHIN).until(() -> count("applications WHERE purged_at IS NOT NULL AND id = " + deleted) == 1);
        assertEquals(0, count("chats WHERE application_id = " + deleted));
        assertEquals(0, count("messages WHERE chat_id IN (" + deletedChat + ", " + deletedSecondChat + ")"));
        assertEquals(1, count("applications WHERE name = '' AND id = " + deleted));
        assertEquals(1, count("chats WHERE deleted_at IS NULL AND id = " + keptChat));
        assertEquals(4, count("messages WHERE chat_id = " + keptChat));
    }

    @Test
    void shouldPurgeTheMessagesOfADeletedChatOnly() throws SQLException {
        long application = insertApplication();
        long deletedChat = insertChat(application, 1, 1200);
        long keptChat = insertChat(application, 2, 5);

        update("UPDATE chats SET deleted_at = NOW(3) WHERE id = " + deletedChat);

        await().atMost(PURGE_WITHIN).until(() -> count("chats WHERE id = " + deletedChat) == 0);
        assertEquals(0, count("messages WHERE chat_id = " + deletedChat));
        assertEquals(5, count("messages WHERE chat_id = " + keptChat));
        assertEquals(1, count("applications WHERE purged_at IS NULL AND deleted_at IS NULL AND id = " + application));
    }

    private long insertApplication() throws SQLException {
        String now = Timestamps.toSql(Timestamps.now());
        String token = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        return insert("INSERT INTO applications (token, name, created_at, updated_at) VALUES ('" + token + "', 'Desk', '"
                + now + "', '" + now + "')");
    }

    private long insertChat(long application, int number, int messages) throws SQLException {
        String now = Timestamps.toSql(Timestamps.now());
        long chat = insert("INSERT INTO chats (application_id, number, last_message_number, created_at, updated_at) VALUES ("
                + application + ", " + number + ", " + messages + ", '" + now + "', '" + now + "')");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO messages (chat_id, number, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            for (int message = 1; message <= messages; message++) {
                insert.setLong(1, chat);
                insert.setInt(2, message);
                insert.setString(3, "message " + message);
                insert.setString(4, now);
                insert.setString(5, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return chat;
    }

    private long insert(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS);
            try (ResultSet keys = statement.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private void update(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private long count(String from) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + from)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
