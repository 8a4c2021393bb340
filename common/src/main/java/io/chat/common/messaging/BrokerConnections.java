package io.chat.common.messaging;

import com.rabbitmq.client.ConnectionFactory;

/** How the API and the worker connect to RabbitMQ: recovering by themselves after a broker restart. */
public final class BrokerConnections {

    private BrokerConnections() {
    }

    public static ConnectionFactory factory(BrokerSettings broker) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(broker.host());
        factory.setPort(broker.port());
        factory.setUsername(broker.username());
        factory.setPassword(broker.password());
        factory.setVirtualHost(broker.virtualHost());
        factory.setConnectionTimeout(2_000);
        factory.setHandshakeTimeout(5_000);
        factory.setRequestedHeartbeat(10);
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(1_000);
        return factory;
    }
}
