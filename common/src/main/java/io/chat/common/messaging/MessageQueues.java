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

    public static void declare(Channel channel, String queue) throws IOException {
        channel.queueDeclare(deadLetters(queue), true, false, false, Map.of());
        channel.queueDeclare(queue, true, false, false, Map.of());
    }
}
