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

    /** Consumes everything on the queue now. */
    public List<Published> drain() throws Exception {
        List<Published> published = new ArrayList<>();
        GetResponse response;
        while ((response = channel.basicGet(NAME, true)) != null) {
            published.add(new Published(MessageCodec.decode(response.getBody()), response.getProps().getDeliveryMode()));
        }
        return published;
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
