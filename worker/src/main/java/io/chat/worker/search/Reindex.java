package io.chat.worker.search;

import io.agroal.api.AgroalDataSource;
import io.chat.common.Tokens;
import io.chat.worker.hashtags.HashtagRows;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds search documents from MySQL, for repairs and after a mapping change:
 * {@code POST /admin/reindex[?application=TOKEN[&chat=N]]} on the worker's port (never published)
 * queues every message of that scope on the search outbox, which the indexer then works off behind
 * what writes queue (a row already queued by a write stays ahead), and
 * rewrites the scope's hashtag rows from the bodies (for messages persisted before V6 made them).
 * {@code bin/reindex} wraps it.
 */
@ApplicationScoped
public class Reindex {

    /** Messages per statement and transaction. */
    private static final int RANGE = 10_000;

    private final AgroalDataSource dataSource;
    private final SearchIndexer indexer;

    public Reindex(AgroalDataSource dataSource, SearchIndexer indexer) {
        this.dataSource = dataSource;
        this.indexer = indexer;
    }

    void route(@Observes Router router) {
        router.post("/admin/reindex").blockingHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        String application = context.request().getParam("application");
        String chat = context.request().getParam("chat");
        try {
            if (chat != null && (application == null || !chat.matches("[1-9][0-9]{0,9}"))) {
                context.response().setStatusCode(400).end("chat needs application, and a chat number\n");
                return;
            }
            List<Long> chats = chats(application, chat == null ? null : Long.valueOf(chat));
            long messages = 0;
            long hashtags = 0;
            for (long id : chats) {
                try (Connection connection = dataSource.getConnection()) {
                    int last = lastNumber(connection, id);
                    // A range at a time: a statement or transaction over a whole large chat would lock
                    // more rows than InnoDB's lock table holds, and keep the chat's writers waiting.
                    for (int first = 1; first <= last; first += RANGE) {
                        int end = (int) Math.min(last, (long) first + RANGE - 1);
                        messages += queue(connection, id, first, end);
                        hashtags += HashtagRows.rebuild(connection, id, first, end);
                    }
                }
            }
            indexer.wake();
            context.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("chats", chats.size())
                    .put("messages_queued", messages).put("hashtag_rows", hashtags).encode() + "\n");
        } catch (SQLException e) {
            context.response().setStatusCode(503).end("MySQL unavailable: " + e.getMessage() + "\n");
        }
    }

    private List<Long> chats(String token, Long number) throws SQLException {
        String sql = "SELECT c.id FROM chats c JOIN applications a ON a.id = c.application_id"
                + " WHERE c.deleted_at IS NULL AND a.deleted_at IS NULL"
                + (token == null ? "" : " AND a.token_hash = ?") + (number == null ? "" : " AND c.number = ?");
        List<Long> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            if (token != null) {
                select.setBytes(1, Tokens.hash(token));
            }
            if (number != null) {
                select.setLong(2, number);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
        }
        return ids;
    }

    private static int lastNumber(Connection connection, long chat) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COALESCE(MAX(number), 0) FROM messages WHERE chat_id = ?")) {
            select.setLong(1, chat);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private static long queue(Connection connection, long chat, int first, int last) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO search_outbox (chat_id, number, reindex) SELECT chat_id, number, TRUE FROM messages WHERE chat_id = ?"
                        + " AND number BETWEEN ? AND ? ON DUPLICATE KEY UPDATE number = search_outbox.number")) {
            insert.setLong(1, chat);
            insert.setInt(2, first);
            insert.setInt(3, last);
            return insert.executeUpdate();
        }
    }
}
