package io.chat.worker.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.common.search.MessageIndex;
import java.io.IOException;
import java.util.Optional;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** What the message index holds for one message, read by its id (a GET sees a document before any refresh). */
public record SearchDocuments(RestClient search) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Optional<JsonNode> document(long chat, int number) throws IOException {
        try {
            JsonNode found = JSON.readTree(search.performRequest(new Request("GET",
                    "/" + MessageIndex.NAME + "/_doc/" + MessageIndex.documentId(chat, number))).getEntity().getContent());
            return Optional.of(found.path("_source"));
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Optional<String> body(long chat, int number) throws IOException {
        return document(chat, number).map(source -> source.path("body").asText());
    }
}
