package io.chat.worker.search;

import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.chat.common.messaging.MessageOperation.Type;
import io.chat.common.search.MessageIndex;
import io.chat.common.search.SearchNode;
import io.chat.worker.support.Database;
import io.chat.worker.support.OperationQueue;
import io.chat.worker.support.TestChat;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With the indexer's interval at an hour, a message still reaches the index at once: the commit
 * that put it on the search outbox starts the indexer's next round.
 */
@QuarkusTest
@QuarkusTestResource(SearchNode.class)
@TestProfile(IndexOnCommitTest.HourlyRounds.class)
class IndexOnCommitTest {

    public static class HourlyRounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("chat.search.interval", "1h");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RestClient search;

    private OperationQueue queue;

    @BeforeEach
    void setUp() throws Exception {
        queue = new OperationQueue("chat.message-operations.test-worker");
    }

    @AfterEach
    void tearDown() throws Exception {
        queue.close();
    }

    @Test
    void shouldIndexMessagesRightAfterTheirCommitWithoutWaitingForTheInterval() throws Exception {
        TestChat chat = TestChat.create(new Database(dataSource));
        for (int number = 1; number <= 3; number++) {
            // One at a time: each needs a commit of its own to be indexed, not a round that happened to run.
            queue.publish(chat.operation(Type.CREATE, number, number, "indexed on commit " + number));
            int expected = number;
            await().atMost(Duration.ofSeconds(30)).until(() -> indexed(chat.chat(), expected)); // far below the hour
        }
    }

    private boolean indexed(long chat, int number) throws Exception {
        try {
            search.performRequest(new Request("GET", "/" + MessageIndex.NAME + "/_doc/" + MessageIndex.documentId(chat, number)));
            return true;
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            if (status == 404 || status == 503) { // not there yet, or the new index's shard not yet up
                return false;
            }
            throw e;
        }
    }
}
