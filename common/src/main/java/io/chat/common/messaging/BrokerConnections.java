package io.chat.common.messaging;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;

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

    /** A connection to the broker, or to the first node of a cluster that answers (see {@link BrokerSettings#addresses()}). */
    public static Connection connect(ConnectionFactory factory, BrokerSettings broker, String name) throws IOException, TimeoutException {
        return factory.newConnection(addresses(broker), name);
    }

    static List<Address> addresses(BrokerSettings broker) {
        return broker.addresses().filter(list -> !list.isBlank())
                .map(list -> List.of(Address.parseAddresses(list)))
                .orElse(List.of(new Address(broker.host(), broker.port())));
    }
}
