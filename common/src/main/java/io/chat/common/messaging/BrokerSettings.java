package io.chat.common.messaging;

import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Where RabbitMQ is: a config group that both apps nest under chat.rabbitmq. */
public interface BrokerSettings {

    /**
     * The nodes of a cluster, {@code host:port} comma-separated (RABBITMQ_ADDRESSES). A connection goes
     * to the first that answers, in a shuffled order, and recovers to another when its node goes.
     * When set, host and port are not used.
     */
    Optional<String> addresses();

    @WithDefault("127.0.0.1")
    String host();

    @WithDefault("5672")
    int port();

    @WithDefault("guest")
    String username();

    @WithDefault("guest")
    String password();

    @WithDefault("/")
    String virtualHost();

    /** The durable queue of message operations; its dead letters go to the same name + ".dead". */
    @WithDefault(MessageQueues.OPERATIONS)
    String queue();

    /**
     * The type of those two queues: classic (one node's) or quorum (replicated over a cluster's
     * nodes, for a cluster). A queue keeps the type it was declared with: see the README for moving
     * an existing classic queue to quorum.
     */
    @WithDefault("classic")
    QueueType queueType();

    enum QueueType {
        CLASSIC, QUORUM
    }
}
