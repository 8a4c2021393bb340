package io.chat.worker.search;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.chat.common.messaging.MessageOperation.Type;
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
import java.util.Optional;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

/**
 * A reindex queues its rows behind what writes queue. Before V7 the indexer claimed the outbox in
 * key order, so a message of a newer chat waited for the whole reindex of an older one.
 */
@QuarkusTest
@QuarkusTestResource(SearchNode.class)
class ReindexBacklogTest {

    private static final String QUEUE = "chat.message-operations.test-worker";
    private static final int BACKLOG = 30_000;
    private static final Duration WITHIN = Duration.ofSeconds(60);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RestClient search;

    @TestHTTPResource("/admin/reindex")
    URI reindex;

    @Test
    void shouldIndexWhatWritesQueueAheadOfAReindex() throws Exception {
        Database db = new Database(dataSource);
        TestChat old = TestChat.create(db);
        db.insertMessages(old.chat(), BACKLOG);
        TestChat fresh = TestChat.create(db); // a higher id: after every row of the old chat in key order
        try {
            reindexBehindWrites(db, old, fresh);
        } finally {
            // The purge job removes the 30,000 rows: the test database does not grow with every run.
            db.update("UPDATE chats SET deleted_at = NOW(3) WHERE id IN (" + old.chat() + ", " + fresh.chat() + ")");
        }
    }

    private void reindexBehindWrites(Database db, TestChat old, TestChat fresh) throws Exception {
        SearchDocuments documents = new SearchDocuments(search);
        HttpResponse<String> queued = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(reindex + "?application=" + old.token())).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, queued.statusCode(), queued.body());
        assertTrue(queued.body().contains("\"messages_queued\":" + BACKLOG), queued.body());

        try (OperationQueue queue = new OperationQueue(QUEUE)) {
            queue.publish(fresh.operation(Type.CREATE, 1, 1, "fresh news"));
            // The old chat's last message, whose row the reindex queued: an edit makes it a live row.
            queue.publish(old.operation(Type.UPDATE, BACKLOG, BACKLOG + 1, "edited during the reindex"));
        }

        await().atMost(WITHIN).until(() -> documents.body(fresh.chat(), 1).isPresent()
                && documents.body(old.chat(), BACKLOG).equals(Optional.of("edited during the reindex")));
        long left = db.count("search_outbox WHERE chat_id = " + old.chat());
        assertTrue(left > 0, "indexed before the reindex was done, not after it; reindex rows left: " + left);

        await().atMost(WITHIN).until(() -> db.count("search_outbox WHERE chat_id = " + old.chat()) == 0);
        assertEquals(Optional.of("message 1"), documents.body(old.chat(), 1), "the reindex still gets done");
        assertEquals(Optional.of("message " + (BACKLOG - 1)), documents.body(old.chat(), BACKLOG - 1));
    }
}
