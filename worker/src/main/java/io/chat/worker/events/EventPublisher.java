package io.chat.worker.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.chat.common.events.ChatEventFanout;
import io.chat.common.messaging.BrokerConnections;
import io.chat.worker.config.WorkerConfig;
import io.chat.worker.message.BatchCommitted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Publishes the events of each commit to the fan-out exchange ({@link ChatEventFanout}), one
 * message per commit, and waits for the broker's confirm. A publish that fails is counted and
 * logged, not retried: the events are committed in chat_events, and the replicas' subscribers fill
 * the gap from there when they see the next event, or at their next heartbeat.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private static final long CONFIRM_TIMEOUT_MILLIS = 5_000;

    private final ConnectionFactory factory;
    private final String exchange;
    private final Counter published;
    private final Counter failed;
    private Connection connection;
    private Channel channel;

    public EventPublisher(WorkerConfig config, MeterRegistry metrics) {
        this.factory = BrokerConnections.factory(config.rabbitmq());
        this.exchange = config.events().exchange();
        this.published = Counter.builder("chat.events.published").description("Real-time events published to the fan-out")
                .register(metrics);
        this.failed = Counter.builder("chat.events.publish.failed")
                .description("Real-time events whose publish failed (subscribers read them from MySQL)").register(metrics);
    }

    /** On the consumer's thread, where commits are fired; synchronized with the shutdown's close. */
    synchronized void committed(@Observes BatchCommitted batch) {
        if (batch.events().isEmpty()) {
            return;
        }
        try {
            Channel open = channel();
            open.basicPublish(exchange, "", new AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(1).build(), ChatEventFanout.encode(batch.events()));
            open.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
            published.increment(batch.events().size());
        } catch (IOException | TimeoutException | RuntimeException e) {
            failed.increment(batch.events().size());
            LOG.warnf("Could not publish %d events (subscribers read them from MySQL): %s", batch.events().size(), e.getMessage());
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.increment(batch.events().size());
        }
    }

    private Channel channel() throws IOException, TimeoutException {
        if (channel == null || !channel.isOpen()) {
            close();
            connection = factory.newConnection("chat-worker-events");
            channel = connection.createChannel();
            ChatEventFanout.declare(channel, exchange);
            channel.confirmSelect();
        }
        return channel;
    }

    private void close() {
        if (connection != null) {
            connection.abort(1_000);
        }
        connection = null;
        channel = null;
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        close();
    }
}
