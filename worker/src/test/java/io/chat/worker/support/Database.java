package io.chat.worker.support;

import io.chat.common.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** Test data written and read with plain SQL, the way the API writes it. */
public final class Database {

    private final DataSource dataSource;

    public Database(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static String randomToken() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    }

    public long insertApplication() throws SQLException {
        return insertApplication(randomToken());
    }

    /** Stored as the API stores it: by the token's SHA-256 only. */
    public long insertApplication(String token) throws SQLException {
        String now = Timestamps.toSql(Timestamps.now());
        return insert("INSERT INTO applications (token_hash, public_id, name, created_at, updated_at) VALUES (UNHEX(SHA2('" + token
                + "', 256)), 'app_" + randomToken() + "', 'Desk', '" + now + "', '" + now + "')");
    }

    public long insertChat(long application, int number) throws SQLException {
        String now = Timestamps.toSql(Timestamps.now());
        return insert("INSERT INTO chats (application_id, number, created_at, updated_at) VALUES ("
                + application + ", " + number + ", '" + now + "', '" + now + "')");
    }

    public void insertMessages(long chat, int count) throws SQLException {
        String now = Timestamps.toSql(Timestamps.now());
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO messages"
                        + " (chat_id, number, body, version, created, created_at, updated_at) VALUES (?, ?, ?, ?, TRUE, ?, ?)")) {
            for (int message = 1; message <= count; message++) {
                insert.setLong(1, chat);
                insert.setInt(2, message);
                insert.setString(3, "message " + message);
                insert.setLong(4, message);
                insert.setString(5, now);
                insert.setString(6, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    public void update(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    public long count(String from) throws SQLException {
        return longs("SELECT COUNT(*) FROM " + from).get(0);
    }

    public List<Long> longs(String sql) throws SQLException {
        return column(sql, rows -> rows.getLong(1));
    }

    public List<String> strings(String sql) throws SQLException {
        return column(sql, rows -> rows.getString(1));
    }

    private interface Column<T> {
        T read(ResultSet rows) throws SQLException;
    }

    private <T> List<T> column(String sql, Column<T> column) throws SQLException {
        List<T> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(column.read(rows));
            }
        }
        return values;
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
}
