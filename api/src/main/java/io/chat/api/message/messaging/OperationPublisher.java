package io.chat.api.message.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.chat.api.config.ApiConfig;
import io.chat.api.error.ServiceUnavailableException;
import io.chat.common.messaging.BrokerConnections;
import io.chat.common.messaging.BrokerSettings;
import io.chat.common.messaging.BrokerLink;
import io.chat.common.messaging.MessageCodec;
import io.chat.common.messaging.MessageOperation;
import io.chat.common.messaging.MessageQueues;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Publishes operations as persistent messages on one long-lived channel in confirm mode, written by
 * one thread of its own in the order they came. Publishing holds the channel only for the write;
 * confirms arrive asynchronously and complete the waiting request, so requests never wait on each
 * other's confirms. No confirm (nack, unroutable, channel
 * lost, timeout) means a 503 for that request.
 */
@ApplicationScoped
public class OperationPublisher implements BrokerLink {

    private static final Logger LOG = Logger.getLogger(OperationPublisher.class);
    private static final long RECONNECT_BACKOFF_MILLIS = 1_000;

    private final ConnectionFactory factory;
    private final BrokerSettings broker;
    private final Duration confirmTimeout;
    private final String queue;
    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> unconfirmed = new ConcurrentSkipListMap<>();

    private final ExecutorService writer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "message-publisher");
        thread.setDaemon(true);
        return thread;
    });
    private Connection connection; // guarded by this
    private Channel channel; // guarded by this
    private long lastConnectAttempt; // guarded by this

    public OperationPublisher(ApiConfig config) {
        ApiConfig.Rabbitmq rabbit = config.rabbitmq();
        this.factory = BrokerConnections.factory(rabbit);
        this.broker = rabbit;
        this.confirmTimeout = rabbit.confirmTimeout();
        this.queue = rabbit.queue();
    }

    void connectAtStart(@Observes StartupEvent event) {
        try {
            synchronized (this) {
                openChannel();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warnf("RabbitMQ is not reachable yet (%s); messages answer 503 until it is", e.getMessage());
        }
    }

    /**
     * Completes once the broker confirmed the message (on the connection's thread: what is composed
     * on it runs there), or fails with a {@link ServiceUnavailableException}: not sent, refused, or no
     * confirm within the timeout, counted from this call. Returns at once: the publish itself is the
     * writer thread's, so neither a request's event loop nor a numbering lane ever waits on the
     * channel's lock, a connect, or the broker's flow control.
     */
    public CompletableFuture<Void> publishAsync(MessageOperation operation) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        CompletableFuture<Void> answered = confirmed.orTimeout(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((nothing, failure) -> {
                    if (failure != null) {
                        throw unconfirmed(failure);
                    }
                    return null;
                });
        try {
            writer.execute(() -> send(operation, confirmed));
        } catch (RejectedExecutionException e) {
            confirmed.completeExceptionally(e); // shutting down
        }
        return answered;
    }

    /** On the writer thread, in the order of the calls. One that timed out while queued is not sent: its number stays a gap. */
    private void send(MessageOperation operation, CompletableFuture<Void> confirmed) {
        if (confirmed.isDone()) {
            return;
        }
        try {
            synchronized (this) {
                Channel open = openChannel();
                long sequence = open.getNextPublishSeqNo();
                unconfirmed.put(sequence, confirmed);
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                        .contentType("application/json")
                        .deliveryMode(2) // persistent
                        .messageId(Long.toString(sequence))
                        .build();
                // mandatory: if the queue is missing, the broker returns the message instead of dropping it
                open.basicPublish("", queue, true, properties, MessageCodec.encode(operation));
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            confirmed.completeExceptionally(e);
        }
    }

    private static ServiceUnavailableException unconfirmed(Throwable cause) {
        return new ServiceUnavailableException("RabbitMQ did not confirm the message", cause);
    }

    /** For readiness: connects if never connected yet (at most once a second), so readiness can come up. */
    @Override
    public synchronized boolean isConnected() {
        try {
            return openChannel().isOpen();
        } catch (IOException | TimeoutException | RuntimeException e) {
            return false;
        }
    }

    void close(@Observes ShutdownEvent event) {
        writer.shutdown();
        synchronized (this) {
            try {
                if (connection != null) {
                    connection.close(2_000);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the RabbitMQ connection", e);
            }
        }
    }

    private Channel openChannel() throws IOException, TimeoutException {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        if (connection != null && connection.isOpen()) {
            channel = configure(connection.createChannel()); // the channel alone was closed by an error
            return channel;
        }
        if (connection != null) {
            // The client recovers the connection and the channel by itself after a broker restart.
            throw new IOException("the RabbitMQ connection is recovering");
        }
        long now = System.currentTimeMillis();
        if (now - lastConnectAttempt < RECONNECT_BACKOFF_MILLIS) {
            throw new IOException("RabbitMQ unreachable, retrying shortly");
        }
        lastConnectAttempt = now;
        Connection opened = BrokerConnections.connect(factory, broker, "chat-api");
        channel = configure(opened.createChannel());
        connection = opened;
        LOG.info("Connected to RabbitMQ");
        return channel;
    }

    private Channel configure(Channel created) throws IOException {
        MessageQueues.declare(created, queue, broker.queueType());
        created.confirmSelect();
        created.addConfirmListener((tag, multiple) -> settle(tag, multiple, null),
                (tag, multiple) -> settle(tag, multiple, new IOException("the broker refused the message")));
        created.addReturnListener(returned -> fail(Long.parseLong(returned.getProperties().getMessageId()),
                new IOException("the broker could not route the message: " + returned.getReplyText())));
        // Confirms of a lost channel never come; a recovered channel numbers its publishes from 1 again.
        created.addShutdownListener(cause -> failAll(new IOException("channel closed: " + cause.getMessage())));
        return created;
    }

    private void settle(long tag, boolean multiple, Exception failure) {
        Map<Long, CompletableFuture<Void>> settled = multiple ? unconfirmed.headMap(tag, true) : single(tag);
        settled.values().forEach(future -> {
            if (failure == null) {
                future.complete(null);
            } else {
                future.completeExceptionally(failure);
            }
        });
        settled.clear();
    }

    private Map<Long, CompletableFuture<Void>> single(long tag) {
        return unconfirmed.subMap(tag, true, tag, true);
    }

    private void fail(long tag, Exception failure) {
        CompletableFuture<Void> future = unconfirmed.remove(tag);
        if (future != null) {
            future.completeExceptionally(failure);
        }
    }

    private void failAll(Exception failure) {
        unconfirmed.values().forEach(future -> future.completeExceptionally(failure));
        unconfirmed.clear();
    }
}
