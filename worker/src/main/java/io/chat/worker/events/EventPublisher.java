package io.chat.worker.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.chat.common.events.ChatEvent;
import io.chat.common.events.ChatEventFanout;
import io.chat.common.messaging.BrokerConnections;
import io.chat.common.messaging.BrokerSettings;
import io.chat.worker.config.WorkerConfig;
import io.chat.worker.message.BatchCommitted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Publishes the events of each commit to the fan-out exchange ({@link ChatEventFanout}) and waits
 * for the broker's confirm, on a thread of its own: the consumer only hands them over, so a broker
 * that blocks publishers (a memory alarm) or a slow confirm never holds back consuming and acking.
 * The commits come after the cached lists moved on (the last observer of a commit), so that a client
 * that reads the list after an event finds the message.
 *
 * A publish that fails, or that finds {@value #WAITING} commits already waiting, is counted and
 * logged, never retried: the events are committed in chat_events, and the replicas' subscribers
 * fill the gap from there when they see the next event, or at their next heartbeat.
 */
@ApplicationScoped
public class EventPublisher {

    private static final Logger LOG = Logger.getLogger(EventPublisher.class);
    private static final long CONFIRM_TIMEOUT_MILLIS = 5_000;
    private static final int WAITING = 1_000;
    /** Commits published as one message at most: a message of a few MB, far below the broker's limit. */
    private static final int TOGETHER = 20;

    private final ConnectionFactory factory;
    private final BrokerSettings broker;
    private final String exchange;
    private final Counter published;
    private final Counter failed;
    private final BlockingQueue<List<ChatEvent>> waiting = new ArrayBlockingQueue<>(WAITING);
    private volatile boolean running;
    private Thread thread;
    private Connection connection;
    private Channel channel;

    public EventPublisher(WorkerConfig config, MeterRegistry metrics) {
        this.factory = BrokerConnections.factory(config.rabbitmq());
        this.broker = config.rabbitmq();
        this.exchange = config.events().exchange();
        this.published = Counter.builder("chat.events.published").description("Real-time events published to the fan-out")
                .register(metrics);
        this.failed = Counter.builder("chat.events.publish.failed")
                .description("Real-time events whose publish failed (subscribers read them from MySQL)").register(metrics);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "event-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    void committed(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) BatchCommitted batch) {
        if (!batch.events().isEmpty() && !waiting.offer(batch.events())) {
            failed.increment(batch.events().size());
            LOG.debugf("%d commits wait to be published already: %d events left to MySQL", WAITING, batch.events().size());
        }
    }

    private void run() {
        while (running) {
            List<ChatEvent> events = new ArrayList<>();
            try {
                List<ChatEvent> first = waiting.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                events.addAll(first);
                List<List<ChatEvent>> more = new ArrayList<>();
                waiting.drainTo(more, TOGETHER - 1);
                more.forEach(events::addAll);
                publish(events);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The commits that were waiting (up to {@value #TOGETHER}), as one message: one publish and one confirm. */
    private void publish(List<ChatEvent> events) throws InterruptedException {
        try {
            Channel open = channel();
            open.basicPublish(exchange, "", new AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(1).build(), ChatEventFanout.encode(events));
            open.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
            published.increment(events.size());
        } catch (IOException | TimeoutException | RuntimeException e) {
            failed.increment(events.size());
            LOG.warnf("Could not publish %d events (subscribers read them from MySQL): %s", events.size(), e.getMessage());
            close();
        }
    }

    private Channel channel() throws IOException, TimeoutException {
        if (channel == null || !channel.isOpen()) {
            close();
            connection = BrokerConnections.connect(factory, broker, "chat-worker-events");
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

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.interrupt();
            thread.join(5_000);
        }
        close();
    }
}
