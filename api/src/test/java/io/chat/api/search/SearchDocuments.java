package io.chat.api.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.chat.common.search.MessageDocument;
import io.chat.common.search.MessageIndex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** Writes search documents the way the worker's indexer does, so the API's search can be tested alone. */
public final class SearchDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    private final AgroalDataSource database;

    public SearchDocuments(RestClient client, AgroalDataSource database) throws IOException {
        this.client = client;
        this.database = database;
        Request create = new Request("PUT", "/" + MessageIndex.NAME);
        try (InputStream mapping = MessageIndex.class.getResourceAsStream(MessageIndex.MAPPING)) {
            create.setJsonEntity(new String(mapping.readAllBytes(), StandardCharsets.UTF_8));
        }
        try {
            client.performRequest(create);
        } catch (ResponseException e) {
            if (!e.getMessage().contains("resource_already_exists_exception")) {
                throw e;
            }
        }
    }

    /** Indexes message {@code number} of chat {@code chatNumber} of the application {@code token}. */
    public void index(String token, int chatNumber, int number, String body) throws IOException, SQLException {
        index(token, chatNumber, number, null, body);
    }

    /** The same, with a sender. */
    public void index(String token, int chatNumber, int number, String sender, String body) throws IOException, SQLException {
        long[] ids = ids(token, chatNumber);
        index(ids[0], ids[1], chatNumber, number, sender, body);
    }

    /** The same, created at {@code createdAt} (RFC 3339). */
    public void index(String token, int chatNumber, int number, String sender, String body, String createdAt)
            throws IOException, SQLException {
        long[] ids = ids(token, chatNumber);
        index(ids[0], ids[1], chatNumber, number, sender, body, createdAt);
    }

    private void index(long applicationId, long chatId, int chatNumber, int number, String sender, String body) throws IOException {
        index(applicationId, chatId, chatNumber, number, sender, body, "2026-11-22T22:34:57.123Z");
    }

    private void index(long applicationId, long chatId, int chatNumber, int number, String sender, String body, String createdAt)
            throws IOException {
        Request index = new Request("PUT", "/" + MessageIndex.NAME + "/_doc/" + MessageIndex.documentId(chatId, number));
        index.addParameter("refresh", "true");
        index.setJsonEntity(JSON.writeValueAsString(MessageDocument.of(applicationId, chatId, chatNumber, number, sender, body,
                createdAt, createdAt)));
        client.performRequest(index);
    }

    /** Removes a message's document, as the indexer does for a deleted message. */
    public void delete(String token, int chatNumber, int number) throws IOException, SQLException {
        Request delete = new Request("DELETE", "/" + MessageIndex.NAME + "/_doc/" + MessageIndex.documentId(ids(token, chatNumber)[1], number));
        delete.addParameter("refresh", "true");
        client.performRequest(delete);
    }

    private long[] ids(String token, int chatNumber) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT a.id, c.id FROM chats c JOIN applications a ON a.id = c.application_id WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND c.number = ?")) {
            select.setString(1, token);
            select.setInt(2, chatNumber);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return new long[] {rows.getLong(1), rows.getLong(2)};
            }
        }
    }
}
