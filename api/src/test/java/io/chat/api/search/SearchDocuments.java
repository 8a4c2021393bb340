package io.chat.api.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.common.search.MessageIndex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** Writes search documents the way the worker's indexer does, so the API's search can be tested alone. */
final class SearchDocuments {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;

    SearchDocuments(RestClient client) throws IOException {
        this.client = client;
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

    void index(long applicationId, long chatId, int chatNumber, int number, String body) throws IOException {
        Request index = new Request("PUT", "/" + MessageIndex.NAME + "/_doc/" + MessageIndex.documentId(chatId, number));
        index.addParameter("refresh", "true");
        index.setJsonEntity(JSON.writeValueAsString(Map.of("application_id", applicationId, "chat_id", chatId,
                "chat_number", chatNumber, "number", number, "body", body,
                "search_text", body.toLowerCase(Locale.ROOT),
                "created_at", "2026-11-22T22:34:57.123Z", "updated_at", "2026-11-22T22:34:57.123Z")));
        client.performRequest(index);
    }
}
