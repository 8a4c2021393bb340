package io.chat.common.messaging;

/** An app's connection to RabbitMQ: the API's publisher, the worker's consumer. */
public interface BrokerLink {

    /** Open now (the client recovers a lost connection by itself). */
    boolean isConnected();
}
