package io.chat.common.messaging;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;

/** The broker topology, declared the same way (idempotently) by every API replica and worker. */
public final class MessageQueues {

    /** The default queue of accepted message operations, published to through the default exchange. */
    public static final String OPERATIONS = "chat.message-operations";

    /** Header of a dead-lettered operation: why the worker could never apply it. */
    public static final String REASON_HEADER = "x-chat-dead-letter-reason";

    private MessageQueues() {
    }

    /** Operations the worker can never apply, each with a {@link #REASON_HEADER}. */
    public static String deadLetters(String queue) {
        return queue + ".dead";
    }

    /**
     * The queue and its dead-letter queue, of the given type. A classic queue is declared with no
     * type argument, as before types could be chosen, so that queues made then still match.
     */
    public static void declare(Channel channel, String queue, BrokerSettings.QueueType type) throws IOException {
        Map<String, Object> arguments = type == BrokerSettings.QueueType.QUORUM ? Map.of("x-queue-type", "quorum") : Map.of();
        channel.queueDeclare(deadLetters(queue), true, false, false, arguments);
        channel.queueDeclare(queue, true, false, false, arguments);
    }
}
