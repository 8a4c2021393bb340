package io.chat.common.messaging;

import io.smallrye.config.WithDefault;

/** Where RabbitMQ is: a config group that both apps nest under chat.rabbitmq. */
public interface BrokerSettings {

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
}
