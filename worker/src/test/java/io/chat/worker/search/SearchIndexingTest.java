package io.chat.worker.search;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.chat.common.messaging.MessageOperation;
import io.chat.common.messaging.MessageOperation.Type;
import io.chat.common.search.MessageIndex;
import io.chat.common.search.SearchNode;
import io.chat.worker.support.Database;
import io.chat.worker.support.OperationQueue;
import io.chat.worker.support.SearchDocuments;
import io.chat.worker.support.TestChat;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Indexing into a real OpenSearch node, including while it is down. */
@QuarkusTest
@QuarkusTestResource(SearchNode.class)
class SearchIndexingTest {

    private static final String QUEUE = "chat.message-operations.test-worker";
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RestClient search;

    @TestHTTPResource("/admin/reindex")
    URI reindex;

    private Database db;
    private OperationQueue queue;
    private TestChat testChat;
    private long application;
    private long chat;

    @BeforeEach
    void setUp() throws Exception {
        db = new Database(dataSource);
        queue = new OperationQueue(QUEUE);
        testChat = TestChat.create(db);
        application = testChat.application();
        chat = testChat.chat();
    }

    @AfterEach
    void tearDown() throws Exception {
        queue.close();
    }

    @Test
    void shouldIndexEditAndRemoveMessagesByTheirLatestVersion() throws Exception {
        queue.publish(testChat.operation(Type.CREATE, 1, 1, "Hello world #Launch #q4", "u1"));
        queue.publish(operation(Type.CREATE, 2, 2, "to be deleted"));
        await().atMost(WITHIN).until(() -> body(1).isPresent() && body(2).isPresent());
        JsonNode document = document(1).orElseThrow();
        assertEquals(application, document.path("application_id").asLong());
        assertEquals(1, document.path("chat_number").asInt());
        assertEquals("hello world #launch #q4", document.path("search_text").asText(), document.toString());
        assertEquals("[\"launch\",\"q4\"]", document.path("hashtags").toString(), document.toString());
        assertEquals("u1", document.path("sender").asText(), document.toString());

        queue.publish(operation(Type.UPDATE, 1, 3, "Edited text #shipped"));
        queue.publish(operation(Type.DELETE, 2, 4, null));

        await().atMost(WITHIN).until(() -> body(1).equals(Optional.of("Edited text #shipped")) && body(2).isEmpty());
        assertEquals("[\"shipped\"]", document(1).orElseThrow().path("hashtags").toString(), "an edit's new hashtags");
        assertEquals("u1", document(1).orElseThrow().path("sender").asText(), "the edit keeps the create's sender");
    }

    /**
     * Rows another worker committed wake nobody here: the round at the interval, which first looks
     * at the outbox outside a transaction, finds and indexes them.
     */
    @Test
    void shouldIndexRowsThatAnotherWorkerQueuedAtTheInterval() throws Exception {
        db.insertMessages(chat, 3);
        db.update("INSERT INTO search_outbox (chat_id, number) VALUES (" + chat + ", 1), (" + chat + ", 2), (" + chat + ", 3)");

        await().atMost(WITHIN).until(() -> db.count("search_outbox WHERE chat_id = " + chat) == 0);
        for (int number = 1; number <= 3; number++) {
            assertEquals(Optional.of("message " + number), body(number));
        }
    }

    @Test
    void shouldIndexEverythingWrittenWhileTheSearchNodeWasDown() throws Exception {
        SearchNode.running().pause();
        try {
            for (int number = 1; number <= 20; number++) {
                queue.publish(operation(Type.CREATE, number, number, "written during the outage " + number));
            }
            await().atMost(WITHIN).until(() -> db.count("messages WHERE chat_id = " + chat) == 20);
            assertEquals(20, db.count("search_outbox WHERE chat_id = " + chat), "kept durably until indexed");
        } finally {
            SearchNode.running().resume();
        }

        await().atMost(WITHIN).until(() -> db.count("search_outbox WHERE chat_id = " + chat) == 0);
        for (int number = 1; number <= 20; number++) {
            assertEquals(Optional.of("written during the outage " + number), body(number));
        }
    }

    @Test
    void shouldRebuildAChatsDocumentsOnReindex() throws Exception {
        queue.publish(operation(Type.CREATE, 1, 1, "rebuild me #Again"));
        await().atMost(WITHIN).until(() -> body(1).isPresent());
        // As before V6: a message persisted with no hashtag rows.
        db.update("DELETE FROM message_hashtags WHERE chat_id = " + chat);
        Request corrupt = new Request("PUT", "/" + MessageIndex.NAME + "/_doc/" + MessageIndex.documentId(chat, 1));
        corrupt.addParameter("version", "1");
        corrupt.addParameter("version_type", "external_gte");
        corrupt.setJsonEntity("{\"chat_id\": " + chat + ", \"number\": 1, \"body\": \"corrupted\"}");
        search.performRequest(corrupt);
        assertEquals(Optional.of("corrupted"), body(1));

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(reindex + "?application=" + testChat.token() + "&chat=1")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"messages_queued\":1"), response.body());
        assertTrue(response.body().contains("\"hashtag_rows\":1"), response.body());
        assertEquals(List.of("again"), db.strings("SELECT hashtag FROM message_hashtags WHERE chat_id = " + chat + " AND number = 1"));
        await().atMost(WITHIN).until(() -> body(1).equals(Optional.of("rebuild me #Again")));
    }

    @Test
    void shouldRemoveTheDocumentsOfAPurgedChat() throws Exception {
        queue.publish(operation(Type.CREATE, 1, 1, "purge me"));
        await().atMost(WITHIN).until(() -> body(1).isPresent());

        db.update("UPDATE chats SET deleted_at = NOW(3) WHERE id = " + chat);

        await().atMost(WITHIN).until(() -> body(1).isEmpty() && db.count("chats WHERE id = " + chat) == 0);
    }

    @Test
    void shouldGiveAnIndexThatAlreadyExistedTheRefreshIntervalOfTheSettings() throws Exception {
        new SearchEngine(search, JSON, 1, 0).ensureIndex(); // created here, or by the worker already
        Request slower = new Request("PUT", "/" + MessageIndex.NAME + "/_settings");
        slower.setJsonEntity("{\"index\": {\"refresh_interval\": \"5s\"}}");
        search.performRequest(slower);
        assertEquals("5s", refreshInterval());

        new SearchEngine(search, JSON, 1, 0).ensureIndex(); // what a worker starting against this index does

        assertEquals("500ms", refreshInterval());
    }

    /** An index made before a field was added to the mapping (sender, say) gets the field from a starting worker. */
    @Test
    void shouldAddTheFieldsAddedToTheMappingToAnIndexThatExisted() throws Exception {
        String older = "chat-messages-before-senders";
        ObjectNode mapping = (ObjectNode) JSON.readTree(MessageIndex.class.getResourceAsStream(MessageIndex.MAPPING));
        ((ObjectNode) mapping.path("mappings").path("properties")).remove(List.of("sender", "hashtags"));
        Request create = new Request("PUT", "/" + older);
        create.setJsonEntity(mapping.toString());
        search.performRequest(create);
        try {
            assertTrue(fields(older).path("sender").isMissingNode());

            new SearchEngine(search, JSON, 1, 0).ensure(older);

            assertEquals("keyword", fields(older).path("sender").path("type").asText());
            assertEquals("keyword", fields(older).path("hashtags").path("type").asText());
            assertEquals("wildcard", fields(older).path("search_text").path("type").asText());
        } finally {
            search.performRequest(new Request("DELETE", "/" + older));
            search.performRequest(new Request("DELETE", "/_index_template/" + older));
        }
    }

    /** Shards and replicas come from configuration; replicas change on an index that exists, shards cannot. */
    @Test
    void shouldTakeShardsAndReplicasFromConfigurationAndChangeTheReplicasOfAnIndexThatExisted() throws Exception {
        String index = "chat-messages-replicated";
        try {
            new SearchEngine(search, JSON, 2, 1).ensure(index);
            assertEquals("2", indexSetting(index, "number_of_shards"));
            assertEquals("1", indexSetting(index, "number_of_replicas"));

            new SearchEngine(search, JSON, 1, 0).ensure(index); // a worker started with other settings

            assertEquals("2", indexSetting(index, "number_of_shards"));
            assertEquals("0", indexSetting(index, "number_of_replicas"));
        } finally {
            search.performRequest(new Request("DELETE", "/" + index));
            search.performRequest(new Request("DELETE", "/_index_template/" + index));
        }
    }

    private String indexSetting(String index, String name) throws Exception {
        JsonNode settings = JSON.readTree(search.performRequest(new Request("GET", "/" + index + "/_settings")).getEntity().getContent());
        return settings.path(index).path("settings").path("index").path(name).asText();
    }

    /** Deleted while the worker runs: the next bulk recreates it from the index template, with the real mapping. */
    @Test
    void shouldRecreateADeletedIndexWithItsMapping() throws Exception {
        String deleted = "chat-messages-deleted-while-running";
        new SearchEngine(search, JSON, 1, 0).ensure(deleted);
        search.performRequest(new Request("DELETE", "/" + deleted));

        Request document = new Request("PUT", "/" + deleted + "/_doc/1");
        document.setJsonEntity("{\"chat_id\": 1, \"number\": 1, \"search_text\": \"hello\", \"hashtags\": [\"a\"]}");
        search.performRequest(document);
        try {
            assertEquals("wildcard", fields(deleted).path("search_text").path("type").asText());
            assertEquals("keyword", fields(deleted).path("hashtags").path("type").asText());
        } finally {
            search.performRequest(new Request("DELETE", "/" + deleted));
            search.performRequest(new Request("DELETE", "/_index_template/" + deleted));
        }
    }

    private JsonNode fields(String index) throws Exception {
        return JSON.readTree(search.performRequest(new Request("GET", "/" + index + "/_mapping")).getEntity().getContent())
                .path(index).path("mappings").path("properties");
    }

    private String refreshInterval() throws Exception {
        JsonNode settings = JSON.readTree(search.performRequest(new Request("GET", "/" + MessageIndex.NAME + "/_settings"))
                .getEntity().getContent());
        return settings.path(MessageIndex.NAME).path("settings").path("index").path("refresh_interval").asText();
    }

    private Optional<String> body(int number) throws Exception {
        return new SearchDocuments(search).body(chat, number);
    }

    private Optional<JsonNode> document(int number) throws Exception {
        return new SearchDocuments(search).document(chat, number);
    }

    private MessageOperation operation(Type type, int number, long version, String body) {
        return testChat.operation(type, number, version, body);
    }
}
