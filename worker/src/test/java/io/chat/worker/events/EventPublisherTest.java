package io.chat.worker.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.agroal.api.AgroalDataSource;
import io.chat.common.events.ChatEvent;
import io.chat.common.events.ChatEventFanout;
import io.chat.common.messaging.MessageOperation.Type;
import io.chat.worker.support.Database;
import io.chat.worker.support.OperationQueue;
import io.chat.worker.support.TestChat;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Operations consumed from the real RabbitMQ come back on the fan-out exchange as the events they committed. */
@QuarkusTest
class EventPublisherTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final String EXCHANGE = "chat.events.test-worker";

    @Inject
    AgroalDataSource dataSource;

    private OperationQueue operations;
    private Connection connection;
    private Channel channel;
    private String replicaQueue;

    @BeforeEach
    void setUp() throws Exception {
        operations = new OperationQueue("chat.message-operations.test-worker");
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        connection = factory.newConnection("worker-test-events");
        channel = connection.createChannel();
        ChatEventFanout.declare(channel, EXCHANGE);
        // What an API replica does: a queue of its own, bound to the fan-out.
        replicaQueue = channel.queueDeclare().getQueue();
        channel.queueBind(replicaQueue, EXCHANGE, "");
    }

    @AfterEach
    void tearDown() throws Exception {
        connection.close();
        operations.close();
    }

    @Test
    void shouldPublishEveryCommittedEventOnceWithItsSeq() throws Exception {
        TestChat chat = TestChat.create(new Database(dataSource));
        for (int number = 1; number <= 50; number++) {
            operations.publish(chat.operation(Type.CREATE, number, number, "m" + number));
        }
        List<ChatEvent> received = new ArrayList<>();
        await().atMost(WITHIN).until(() -> drain(chat, received) >= 50);
        // Then a delete, a redelivered create (it commits nothing new, so it publishes nothing) and one more create.
        operations.publish(chat.operation(Type.DELETE, 7, 51, null));
        operations.publish(chat.operation(Type.CREATE, 3, 3, "m3"));
        operations.publish(chat.operation(Type.CREATE, 51, 52, "m51"));
        await().atMost(WITHIN).until(() -> drain(chat, received) >= 52);

        assertEquals(IntStream.rangeClosed(1, 52).mapToObj(Long::valueOf).toList(), received.stream().map(ChatEvent::seq).toList());
        assertEquals(IntStream.rangeClosed(1, 50).boxed().toList(), received.subList(0, 50).stream().map(ChatEvent::number).sorted().toList());
        assertEquals(50, received.subList(0, 50).stream().filter(event -> event.type().equals(ChatEvent.CREATED)).count());
        assertEquals(List.of(ChatEvent.DELETED + " 7", ChatEvent.CREATED + " 51"),
                received.subList(50, 52).stream().map(event -> event.type() + " " + event.number()).toList());
        // Nothing arrives after them: the redelivery published nothing.
        assertEquals(52, drain(chat, received));
    }

    /** Takes what reached the replica's queue, keeps the events of this chat; how many it has now. */
    private int drain(TestChat chat, List<ChatEvent> received) throws Exception {
        GetResponse response;
        while ((response = channel.basicGet(replicaQueue, true)) != null) {
            ChatEventFanout.decode(response.getBody()).stream().filter(event -> event.chatId() == chat.chat()).forEach(received::add);
        }
        return received.size();
    }
}
