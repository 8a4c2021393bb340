package io.chat.api.message;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.chat.common.messaging.MessageCodec;
import io.chat.common.messaging.MessageOperation;
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
        return drainMessages().stream().flatMap(List::stream).toList();
    }

    /** Consumes everything on the queue now: each broker message, as the operations it holds. */
    public List<List<Published>> drainMessages() throws Exception {
        List<List<Published>> messages = new ArrayList<>();
        GetResponse response;
        while ((response = channel.basicGet(NAME, true)) != null) {
            List<Published> operations = new ArrayList<>();
            for (byte[] payload : MessageCodec.split(response.getBody())) {
                operations.add(new Published(MessageCodec.decode(payload), response.getProps().getDeliveryMode()));
            }
            messages.add(operations);
        }
        return messages;
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
