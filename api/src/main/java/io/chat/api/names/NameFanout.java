package io.chat.api.names;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import io.chat.api.config.ApiConfig;
import io.chat.common.messaging.BrokerConnections;
import io.chat.common.messaging.BrokerSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The epoch of what this replica resolved ({@link LiveNames}), and the notices that move it on
 * every replica: a fanout exchange, with a queue per replica (server-named, exclusive). A notice
 * says only "something was deleted"; the epoch moves on for it, for a connection lost (what was
 * published meanwhile never reached this replica) and for a connection recovered. While the
 * replica is not connected, {@link #epoch()} is -1: nothing resolved is kept.
 */
@ApplicationScoped
public class NameFanout {

    private static final Logger LOG = Logger.getLogger(NameFanout.class);
    /** How long a delete waits for its own notice to come back, which means it is in every replica's queue. */
    private static final Duration ECHO_TIMEOUT = Duration.ofSeconds(1);

    private final ConnectionFactory factory;
    private final BrokerSettings broker;
    private final String exchange;
    private final AtomicLong epoch = new AtomicLong();
    private final Map<String, CompletableFuture<Void>> echoes = new ConcurrentHashMap<>();
    private final Object publishLock = new Object();
    private volatile boolean connected;
    private Connection connection;
    private Channel publishing;

    public NameFanout(ApiConfig config) {
        this.factory = BrokerConnections.factory(config.rabbitmq());
        this.broker = config.rabbitmq();
        this.exchange = config.names().exchange();
    }

    /** The epoch that what is resolved now belongs to; -1 while notices may be missed. */
    long epoch() {
        return connected ? epoch.get() : -1;
    }

    /**
     * After a delete committed: nothing resolved before counts on this replica from now on, and on
     * the others once the notice reaches them; it waits up to {@link #ECHO_TIMEOUT} for the notice to
     * come back to this replica, which means the broker has put it in every replica's queue.
     */
    void announce() {
        epoch.incrementAndGet();
        String id = UUID.randomUUID().toString();
        CompletableFuture<Void> echo = new CompletableFuture<>();
        echoes.put(id, echo);
        try {
            synchronized (publishLock) {
                if (publishing == null || !publishing.isOpen()) {
                    LOG.warn("A delete could not be announced to the other replicas: not connected to the broker (what they"
                            + " resolved lives at most chat.names.ttl)");
                    return;
                }
                publishing.basicPublish(exchange, "", new AMQP.BasicProperties.Builder().messageId(id).build(), new byte[0]);
            }
            echo.get(ECHO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | RuntimeException | ExecutionException | TimeoutException e) {
            LOG.warnf("A delete's notice to the other replicas is not confirmed (%s)", e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            echoes.remove(id);
        }
    }

    // As EventFanout's: not while the app starts, and retried until the first connection succeeds;
    // the client library recovers it after that.
    @Scheduled(every = "5s", delay = 0, concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    synchronized void connect() {
        if (connection != null) {
            return;
        }
        Connection opened = null;
        try {
            opened = BrokerConnections.connect(factory, broker, "chat-api-names");
            Channel channel = opened.createChannel();
            channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, true);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, exchange, "");
            channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    epoch.incrementAndGet();
                    CompletableFuture<Void> echo = properties.getMessageId() == null ? null : echoes.get(properties.getMessageId());
                    if (echo != null) {
                        echo.complete(null);
                    }
                }

                @Override
                public void handleCancel(String tag) {
                    LOG.warn("The names fan-out's consumer was cancelled: every name is read from MySQL from now on");
                    lost();
                }
            });
            // A channel that closes by itself (not with its connection) is not recovered: nothing is kept from then on.
            channel.addShutdownListener(cause -> lost());
            opened.addShutdownListener(cause -> lost());
            ((Recoverable) opened).addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    found();
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                }
            });
            Channel publisher = opened.createChannel();
            publisher.addShutdownListener(cause -> lost());
            synchronized (publishLock) {
                publishing = publisher;
            }
            connection = opened;
            found();
            LOG.info("Following the names fan-out");
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warnf("Could not reach the names fan-out (retrying; until then every name is read from MySQL): %s", e.getMessage());
            if (opened != null) {
                opened.abort();
            }
        }
    }

    private void lost() {
        connected = false;
        epoch.incrementAndGet();
    }

    private void found() {
        epoch.incrementAndGet();
        connected = true;
    }

    /** Whether notices reach this replica: a test waits for it. */
    public boolean isConnected() {
        return connected;
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (connection != null) {
            connection.abort(1_000);
        }
    }
}
