package io.chat.worker.message;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.chat.common.messaging.MessageOperation.Type;
import io.chat.worker.support.Database;
import io.chat.worker.support.OperationQueue;
import io.chat.worker.support.TestChat;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The worker's Prometheus metrics: persisted, indexed, dead-lettered, and the queue depth. */
@QuarkusTest
class WorkerMetricsTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @TestHTTPResource("/q/metrics")
    URI prometheus;

    @Test
    void shouldCountPersistedAndDeadLetteredOperations() throws Exception {
        double persisted = count("chat.message.operations.persisted", "type", "create");
        double deadLettered = count("chat.message.operations.dead_lettered", "kind", "payload");
        TestChat chat = TestChat.create(new Database(dataSource));

        try (OperationQueue queue = new OperationQueue("chat.message-operations.test-worker")) {
            queue.publish(chat.operation(Type.CREATE, 1, 1, "one"));
            queue.publish(chat.operation(Type.CREATE, 2, 2, "two"));
            queue.publish("garbage".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    count("chat.message.operations.persisted", "type", "create") >= persisted + 2
                            && count("chat.message.operations.dead_lettered", "kind", "payload") >= deadLettered + 1);
            queue.drainDeadLetters();
        }

        String exposed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(prometheus).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String name : new String[] {"chat_message_operations_persisted_total", "chat_message_operations_dead_lettered_total",
                "chat_message_operations_queue_depth", "chat_messages_indexed_total"}) {
            assertTrue(exposed.contains(name), name + " in /q/metrics");
        }
    }

    private double count(String name, String tag, String value) {
        var counter = metrics.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }
}
