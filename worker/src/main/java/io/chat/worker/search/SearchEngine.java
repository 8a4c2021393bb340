package io.chat.worker.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.common.search.MessageIndex;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** The worker's calls to Elasticsearch / OpenSearch, through the low-level REST client both accept. */
@ApplicationScoped
public class SearchEngine {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    private volatile boolean indexExists;

    public SearchEngine(RestClient client) {
        this.client = client;
    }

    /**
     * Creates the index with its settings and mapping unless it exists, and gives an index that
     * existed the settings that can change on a live index (refresh_interval): idempotent, safe for
     * every worker at start.
     */
    public void ensureIndex() throws IOException {
        if (indexExists) {
            return;
        }
        JsonNode index;
        try (InputStream mapping = MessageIndex.class.getResourceAsStream(MessageIndex.MAPPING)) {
            index = JSON.readTree(mapping);
        }
        Request create = new Request("PUT", "/" + MessageIndex.NAME);
        create.setJsonEntity(index.toString());
        try {
            client.performRequest(create);
        } catch (ResponseException e) {
            if (!e.getMessage().contains("resource_already_exists_exception")) {
                throw e;
            }
            Request settings = new Request("PUT", "/" + MessageIndex.NAME + "/_settings");
            settings.setJsonEntity(JSON.createObjectNode().set("index", JSON.createObjectNode()
                    .set("refresh_interval", index.path("settings").path("refresh_interval"))).toString());
            client.performRequest(settings);
        }
        indexExists = true;
    }

    /** Sends an NDJSON bulk body; returns the response's items. */
    public JsonNode bulk(String ndjson) throws IOException {
        Request bulk = new Request("POST", "/_bulk");
        bulk.setEntity(new NStringEntity(ndjson, ContentType.create("application/x-ndjson", StandardCharsets.UTF_8)));
        return JSON.readTree(client.performRequest(bulk).getEntity().getContent()).path("items");
    }

    /**
     * Removes every document of a chat. delete_by_query finds documents by searching, and a search
     * sees only refreshed documents: refresh first, or one indexed within the last second survives.
     */
    public void deleteChat(long chatId) throws IOException {
        ensureIndex();
        client.performRequest(new Request("POST", "/" + MessageIndex.NAME + "/_refresh"));
        Request delete = new Request("POST", "/" + MessageIndex.NAME + "/_delete_by_query");
        delete.addParameter("conflicts", "proceed");
        delete.addParameter("refresh", "true");
        delete.setJsonEntity("{\"query\":{\"term\":{\"chat_id\":" + chatId + "}}}");
        client.performRequest(delete);
    }
}
