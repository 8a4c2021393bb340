package io.chat.api.message;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.chat.common.messaging.BrokerSettings;
import io.chat.common.messaging.MessageCodec;
import io.chat.common.messaging.MessageOperation;
import io.chat.common.messaging.MessageQueues;
import java.util.ArrayList;
import java.util.List;

/** Reads what the API published on its test queue, straight from RabbitMQ. */
public final class OperationQueue implements AutoCloseable {

    static final String NAME = "chat.message-operations.test-api";

    public record Published(MessageOperation operation, Integer deliveryMode) {
    }

    private final Connection connection;
    private final Channel channel;

    public OperationQueue() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        connection = factory.newConnection("api-test");
        channel = connection.createChannel();
    }

    /** Consumes everything on the queue now: each operation, in order, whatever message it came in. */
    public List<Published> drain() throws Exception {
        return drainMessages().stream().flatMap(message -> message.operations().stream()).toList();
    }

    /** One broker message: the operations it holds, and its size. */
    public record Message(List<Published> operations, int bytes) {
    }

    /** Consumes everything on the queue now: each broker message. */
    public List<Message> drainMessages() throws Exception {
        List<Message> messages = new ArrayList<>();
        GetResponse response;
        while ((response = channel.basicGet(NAME, true)) != null) {
            List<Published> operations = new ArrayList<>();
            for (byte[] payload : MessageCodec.split(response.getBody())) {
                operations.add(new Published(MessageCodec.decode(payload), response.getProps().getDeliveryMode()));
            }
            messages.add(new Message(operations, response.getBody().length));
        }
        return messages;
    }

    /** Deletes the queue: until {@link #declare}, the broker returns what the API publishes to it. */
    public void delete() throws Exception {
        channel.queueDelete(NAME);
    }

    /** Declares the queue again, as the API does. */
    public void declare() throws Exception {
        MessageQueues.declare(channel, NAME, BrokerSettings.QueueType.CLASSIC);
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
