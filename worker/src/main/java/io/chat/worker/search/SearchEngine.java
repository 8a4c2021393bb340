package io.chat.worker.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chat.common.search.MessageDocument;
import io.chat.common.search.MessageIndex;
import io.chat.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    private final RestClient client;
    private final ObjectMapper json;
    private final int shards;
    private final int replicas;
    private volatile boolean indexExists;

    @Inject
    public SearchEngine(RestClient client, ObjectMapper json, WorkerConfig config) {
        this(client, json, config.search().shards(), config.search().replicas());
    }

    SearchEngine(RestClient client, ObjectMapper json, int shards, int replicas) {
        this.client = client;
        this.json = json;
        this.shards = shards;
        this.replicas = replicas;
    }

    /**
     * Creates the index with its settings and mapping unless it exists, and gives an index that
     * existed what can change on a live index: the refresh_interval, and the mapping's fields (a
     * field added since, like sender, is added; an existing one cannot change): idempotent, safe for
     * every worker at start. An index template with the same settings and mapping comes first: if
     * the index is deleted while workers run (a mapping change, say), the first bulk that recreates
     * it gets the real mapping, never one guessed from the documents.
     */
    public void ensureIndex() throws IOException {
        if (indexExists) {
            return;
        }
        ensure(MessageIndex.NAME);
        indexExists = true;
    }

    /** The index {@code name} with the settings and mapping of the message index (tests use other names). */
    void ensure(String name) throws IOException {
        JsonNode index;
        try (InputStream mapping = MessageIndex.class.getResourceAsStream(MessageIndex.MAPPING)) {
            index = json.readTree(mapping);
        }
        // From configuration: shards when the index is made; replicas (copies on other nodes of a
        // cluster) also on an index that exists, since they can change on a live index.
        ((ObjectNode) index.path("settings")).put("number_of_shards", shards).put("number_of_replicas", replicas);
        Request template = new Request("PUT", "/_index_template/" + name);
        ObjectNode body = json.createObjectNode();
        body.putArray("index_patterns").add(name);
        body.set("template", index);
        template.setJsonEntity(body.toString());
        client.performRequest(template);
        Request create = new Request("PUT", "/" + name);
        create.setJsonEntity(index.toString());
        try {
            client.performRequest(create);
        } catch (ResponseException e) {
            if (!e.getMessage().contains("resource_already_exists_exception")) {
                throw e;
            }
            Request settings = new Request("PUT", "/" + name + "/_settings");
            settings.setJsonEntity(json.createObjectNode().set("index", json.createObjectNode()
                    .put("number_of_replicas", replicas)
                    .set("refresh_interval", index.path("settings").path("refresh_interval"))).toString());
            client.performRequest(settings);
            Request fields = new Request("PUT", "/" + name + "/_mapping");
            fields.setJsonEntity(json.createObjectNode().set("properties", index.path("mappings").path("properties")).toString());
            client.performRequest(fields);
        }
    }

    /** Sends an NDJSON bulk body; returns the response's items. */
    public JsonNode bulk(String ndjson) throws IOException {
        Request bulk = new Request("POST", "/_bulk");
        bulk.setEntity(new NStringEntity(ndjson, ContentType.create("application/x-ndjson", StandardCharsets.UTF_8)));
        return json.readTree(client.performRequest(bulk).getEntity().getContent()).path("items");
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
        ObjectNode query = json.createObjectNode();
        query.putObject("query").putObject("term").put(MessageDocument.CHAT_ID, chatId);
        delete.setJsonEntity(query.toString());
        client.performRequest(delete);
    }
}
