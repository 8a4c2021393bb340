package io.chat.api.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.chat.api.config.ApiConfig;
import io.chat.api.members.Members;
import io.chat.common.events.ChatEvent;
import io.chat.common.events.ChatEventFanout;
import io.chat.common.messaging.BrokerConnections;
import io.chat.common.messaging.BrokerSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * This replica's end of the fan-out: a queue of its own (server-named, exclusive, gone with the
 * connection) bound to the events exchange, whose messages go to {@link ChatStreams}. The client
 * library recovers the connection, the queue and its binding by itself once connected; until the
 * first connection succeeds, it is retried every few seconds. What the replica misses meanwhile,
 * subscribers read from MySQL. Ephemeral events (members, typing) start here: published on the same
 * exchange, they reach every replica's subscribers, this one's too, and are lost while it is down.
 */
@ApplicationScoped
public class EventFanout {

    private static final Logger LOG = Logger.getLogger(EventFanout.class);
    private static final int EPHEMERAL_BACKLOG = 1_000;

    private final ConnectionFactory factory;
    private final BrokerSettings broker;
    private final String exchange;
    private final ChatStreams streams;
    private volatile Connection connection;

    private final Object publishLock = new Object();
    private final ExecutorService ephemeral = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(EPHEMERAL_BACKLOG), work -> {
                Thread thread = new Thread(work, "chat-events-ephemeral");
                thread.setDaemon(true);
                return thread;
            });
    private Channel publishing;

    public EventFanout(ApiConfig config, ChatStreams streams, Members members) {
        this.factory = BrokerConnections.factory(config.rabbitmq());
        this.broker = config.rabbitmq();
        this.exchange = config.events().exchange();
        this.streams = streams;
        members.publishTo(this::publish);
    }

    /**
     * An ephemeral event, to every replica's subscribers of its chat: best effort. It goes out on a
     * thread of its own (a broker that blocks publishers holds back no caller); past
     * {@link #EPHEMERAL_BACKLOG} waiting, or while the broker is away, it is dropped.
     */
    public void publish(ChatEvent event) {
        try {
            ephemeral.execute(() -> send(event));
        } catch (RejectedExecutionException e) {
            LOG.debugf("a %s event was dropped: %d are waiting for the broker", event.type(), EPHEMERAL_BACKLOG);
        }
    }

    private void send(ChatEvent event) {
        try {
            synchronized (publishLock) {
                if (publishing == null || !publishing.isOpen()) {
                    LOG.debugf("a %s event was dropped: the events fan-out is not connected", event.type());
                    return;
                }
                publishing.basicPublish(exchange, "", null, ChatEventFanout.encode(List.of(event)));
            }
        } catch (IOException | RuntimeException e) {
            LOG.debugf("a %s event was dropped: %s", event.type(), e.getMessage());
        }
    }

    // Not while the app starts (nor any job of ours): a job that creates its beans, and so the Redis
    // client, beside the startup observers raced the Redis extension's own creation of it
    // (RedisClientRecorder's HashMap: "Failed to start quarkus", a ConcurrentModificationException).
    @Scheduled(every = "5s", delay = 0, concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    synchronized void connect() {
        if (connection != null) {
            return;
        }
        Connection opened = null;
        try {
            opened = BrokerConnections.connect(factory, broker, "chat-api-events");
            Channel channel = opened.createChannel();
            ChatEventFanout.declare(channel, exchange);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, exchange, "");
            channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    try {
                        streams.deliver(ChatEventFanout.decode(body));
                    } catch (IOException | RuntimeException e) {
                        LOG.warnf("Dropped a fan-out message that is not a list of events: %s", e.getMessage());
                    }
                }
            });
            Channel publisher = opened.createChannel();
            synchronized (publishLock) {
                publishing = publisher;
            }
            connection = opened;
            LOG.info("Following the events fan-out");
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warnf("Could not reach the events fan-out (retrying): %s", e.getMessage());
            if (opened != null) {
                opened.abort();
            }
        }
    }

    /** Whether the fan-out is followed: a test waits for it. */
    public boolean isConnected() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    /** After Members' (a lower priority runs first), whose last member.left events go out here. */
    synchronized void stop(@Observes ShutdownEvent event) throws InterruptedException {
        ephemeral.shutdown();
        ephemeral.awaitTermination(2, TimeUnit.SECONDS);
        if (connection != null) {
            connection.abort(1_000);
        }
    }
}
