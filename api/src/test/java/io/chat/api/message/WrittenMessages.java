package io.chat.api.message;

import io.agroal.api.AgroalDataSource;
import io.chat.common.Timestamps;
import io.chat.common.text.Hashtags;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Messages as the worker writes them (no worker runs in the API's tests): rows in MySQL. */
public final class WrittenMessages {

    private final AgroalDataSource dataSource;

    public WrittenMessages(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void insert(String token, int chat, int number, String body, boolean created, boolean deleted) throws SQLException {
        insert(token, chat, number, body, created, deleted, null);
    }

    public void insert(String token, int chat, int number, String body, boolean created, boolean deleted, String sender)
            throws SQLException {
        insert(token, chat, number, body, created, deleted, sender, Instant.parse("2026-11-22T22:34:57.123Z"));
    }

    /** The same, created at {@code createdAt}; a visible message gets its hashtag rows, as the worker writes them. */
    public void insert(String token, int chat, int number, String body, boolean created, boolean deleted, String sender,
            Instant createdAt) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO messages"
                        + " (chat_id, number, body, version, created, deleted, created_at, updated_at, sender)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement hashtags = connection.prepareStatement(
                        "INSERT INTO message_hashtags (chat_id, number, hashtag) VALUES (?, ?, ?)")) {
            long chatId = chatId(connection, token, chat);
            insert.setLong(1, chatId);
            insert.setInt(2, number);
            insert.setString(3, body);
            insert.setLong(4, number);
            insert.setBoolean(5, created);
            insert.setBoolean(6, deleted);
            insert.setString(7, Timestamps.toSql(createdAt));
            insert.setString(8, Timestamps.toSql(createdAt));
            insert.setString(9, sender);
            insert.executeUpdate();
            if (created && !deleted) {
                for (String hashtag : Hashtags.in(body)) {
                    hashtags.setLong(1, chatId);
                    hashtags.setInt(2, number);
                    hashtags.setString(3, hashtag);
                    hashtags.executeUpdate();
                }
            }
        }
    }

    /** The application's public id, as its users' tokens carry it. */
    public String publicId(String token) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT public_id FROM applications WHERE token_hash = UNHEX(SHA2(?, 256))")) {
            select.setString(1, token);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    /** The internal id of a chat, for the keys the worker writes to (Redis list versions). */
    public long chatId(String token, int chat) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return chatId(connection, token, chat);
        }
    }

    private static long chatId(Connection connection, String token, int chat) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT c.id FROM chats c JOIN applications a"
                + " ON a.id = c.application_id WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND c.number = ?")) {
            select.setString(1, token);
            select.setInt(2, chat);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}
