package io.chat.common.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Against this machine's RabbitMQ: a list of nodes, and the queues' type. */
class BrokerConnectionsTest {

    @Test
    void shouldConnectToTheNodeThatAnswersWhenOthersOfTheListAreDown() throws Exception {
        // Port 1 refuses connections. The list is tried in a shuffled order: ten connections meet it
        // first about 1,023 times in 1,024.
        Settings cluster = new Settings(Optional.of("127.0.0.1:1, 127.0.0.1:5672"), BrokerSettings.QueueType.CLASSIC);
        for (int i = 0; i < 10; i++) {
            try (Connection connection = BrokerConnections.connect(BrokerConnections.factory(cluster), cluster, "test-list")) {
                assertEquals(5672, connection.getPort());
            }
        }
    }

    @Test
    void shouldUseHostAndPortWhenNoListIsGiven() {
        assertEquals(List.of(new Address("127.0.0.1", 5672)),
                BrokerConnections.addresses(new Settings(Optional.empty(), BrokerSettings.QueueType.CLASSIC)));
        assertEquals(List.of(new Address("a", 5701), new Address("b", 5702)),
                BrokerConnections.addresses(new Settings(Optional.of("a:5701,b:5702"), BrokerSettings.QueueType.CLASSIC)));
    }

    @Test
    void shouldDeclareQuorumQueuesThatAClassicDeclarationDoesNotMatch() throws Exception {
        Settings settings = new Settings(Optional.empty(), BrokerSettings.QueueType.QUORUM);
        String queue = "chat.test-common." + UUID.randomUUID();
        try (Connection connection = BrokerConnections.connect(BrokerConnections.factory(settings), settings, "test-types")) {
            Channel channel = connection.createChannel();
            try {
                MessageQueues.declare(channel, queue, BrokerSettings.QueueType.QUORUM);
                MessageQueues.declare(channel, queue, BrokerSettings.QueueType.QUORUM); // idempotent
                // The broker says the queue is not classic: declaring it so is refused (406), and closes the channel.
                IOException refused = assertThrows(IOException.class,
                        () -> MessageQueues.declare(channel, queue, BrokerSettings.QueueType.CLASSIC));
                assertTrue(String.valueOf(refused.getCause()).contains("PRECONDITION_FAILED"), String.valueOf(refused.getCause()));
            } finally {
                try (Channel cleanup = connection.createChannel()) {
                    cleanup.queueDelete(queue);
                    cleanup.queueDelete(MessageQueues.deadLetters(queue));
                }
            }
        }
    }

    @Test
    void shouldKeepDeclaringAClassicQueueMadeBeforeTypesCouldBeChosen() throws Exception {
        Settings settings = new Settings(Optional.empty(), BrokerSettings.QueueType.CLASSIC);
        String queue = "chat.test-common." + UUID.randomUUID();
        try (Connection connection = BrokerConnections.connect(BrokerConnections.factory(settings), settings, "test-types");
                Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, true, false, false, null); // as the code before this change declared it
            channel.queueDeclare(MessageQueues.deadLetters(queue), true, false, false, null);
            MessageQueues.declare(channel, queue, BrokerSettings.QueueType.CLASSIC);
            channel.queueDelete(queue);
            channel.queueDelete(MessageQueues.deadLetters(queue));
        }
    }

    private record Settings(Optional<String> addresses, QueueType queueType) implements BrokerSettings {
        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return 5672;
        }

        @Override
        public String username() {
            return "guest";
        }

        @Override
        public String password() {
            return "guest";
        }

        @Override
        public String virtualHost() {
            return "/";
        }

        @Override
        public String queue() {
            return MessageQueues.OPERATIONS;
        }
    }
}
