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
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Publishes operations as persistent messages on one long-lived channel in confirm mode, written by
 * one thread of its own in the order they came: what waits for it when it is free goes as one
 * message, a JSON array of up to {@value #MAX_OPERATIONS_PER_MESSAGE} operations and 64 KiB. Publishing holds
 * the channel only for the write; confirms arrive asynchronously and complete the waiting requests,
 * so requests never wait on each other's confirms. No confirm (nack, unroutable, channel lost,
 * timeout) means a 503 for every request of that message.
 */
@ApplicationScoped
public class OperationPublisher implements BrokerLink {

    private static final Logger LOG = Logger.getLogger(OperationPublisher.class);
    private static final long RECONNECT_BACKOFF_MILLIS = 1_000;
    static final int MAX_OPERATIONS_PER_MESSAGE = 100;
    /**
     * So that a worker's prefetch of messages is a bounded amount of memory: a message goes over it
     * only when its one operation does.
     */
    static final int MAX_BYTES_PER_MESSAGE = 64 * 1024;

    private record Pending(MessageOperation operation, CompletableFuture<Void> confirmed) {
    }

    /** An operation as it goes in a message. */
    private record Encoded(byte[] operation, CompletableFuture<Void> confirmed) {
    }

    private final ConnectionFactory factory;
    private final BrokerSettings broker;
    private final Duration confirmTimeout;
    private final String queue;
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private Thread writer;
    private volatile boolean running = true;
    private Connection connection; // guarded by this
    private Channel channel; // guarded by this
    private Confirms confirms; // the open channel's; guarded by this
    private long lastConnectAttempt; // guarded by this

    public OperationPublisher(ApiConfig config) {
        ApiConfig.Rabbitmq rabbit = config.rabbitmq();
        this.factory = BrokerConnections.factory(rabbit);
        this.broker = rabbit;
        this.confirmTimeout = rabbit.confirmTimeout();
        this.queue = rabbit.queue();
    }

    @PostConstruct
    void startWriter() {
        writer = new Thread(this::write, "message-publisher");
        writer.setDaemon(true);
        writer.start();
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
        pending.add(new Pending(operation, confirmed));
        if (!running) {
            confirmed.completeExceptionally(new IOException("shutting down"));
        }
        return answered;
    }

    /**
     * The writer thread: takes what is waiting, in order, and sends it as one message. Nothing but
     * the shutdown ends it: a failure fails the requests of its message, and the next ones go on.
     */
    private void write() {
        List<Encoded> batch = new ArrayList<>();
        Encoded carried = null; // taken, but it did not fit the message before
        while (running) {
            try {
                int bytes = 0;
                Encoded next = carried != null ? carried : encode(pending.take());
                carried = null;
                while (next != null) {
                    if (!batch.isEmpty() && bytes + next.operation().length + 2 > MAX_BYTES_PER_MESSAGE) {
                        carried = next;
                        break;
                    }
                    batch.add(next);
                    bytes += next.operation().length + 1;
                    next = batch.size() < MAX_OPERATIONS_PER_MESSAGE ? encode(pending.poll()) : null;
                }
                // One that timed out while queued is not sent: its number stays a gap.
                batch.removeIf(waiting -> waiting.confirmed().isDone());
                if (!batch.isEmpty()) {
                    send(batch);
                }
            } catch (InterruptedException e) {
                // only the shutdown interrupts it, and then running is false
            } catch (Throwable e) { // an Error too: a writer that died would leave every request to time out
                LOG.error("Publishing failed unexpectedly; its requests answer 503", e);
                batch.forEach(waiting -> waiting.confirmed().completeExceptionally(e)); // a carried one goes next
            } finally {
                batch.clear();
            }
        }
        if (carried != null) {
            carried.confirmed().completeExceptionally(new IOException("shutting down"));
        }
        pending.forEach(waiting -> waiting.confirmed().completeExceptionally(new IOException("shutting down")));
    }

    private static Encoded encode(Pending waiting) {
        if (waiting == null) {
            return null;
        }
        try {
            return new Encoded(MessageCodec.encode(waiting.operation()), waiting.confirmed());
        } catch (RuntimeException | Error e) {
            waiting.confirmed().completeExceptionally(e); // taken from the queue, in no batch yet
            throw e;
        }
    }

    private void send(List<Encoded> batch) {
        List<CompletableFuture<Void>> confirmed = batch.stream().map(Encoded::confirmed).toList();
        byte[] message = MessageCodec.join(batch.stream().map(Encoded::operation).toList());
        Long sequence = null;
        Confirms expecting = null;
        try {
            synchronized (this) {
                Channel open = openChannel();
                expecting = confirms;
                sequence = open.getNextPublishSeqNo();
                expecting.expect(sequence, confirmed);
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                        .contentType("application/json")
                        .deliveryMode(2) // persistent
                        .messageId(Long.toString(sequence))
                        .build();
                // mandatory: if the queue is missing, the broker returns the message instead of dropping it
                open.basicPublish("", queue, true, properties, message);
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            if (sequence != null) {
                expecting.fail(sequence, e);
            }
            confirmed.forEach(future -> future.completeExceptionally(e));
        }
    }

    private static ServiceUnavailableException unconfirmed(Throwable cause) {
        return new ServiceUnavailableException("RabbitMQ did not confirm the message", cause);
    }

    /** For readiness: connects if never connected yet (at most once a second), so readiness can come up. */
    @Override
    public synchronized boolean isConnected() {
        try {
            return writer.isAlive() && openChannel().isOpen();
        } catch (IOException | TimeoutException | RuntimeException e) {
            return false;
        }
    }

    void close(@Observes ShutdownEvent event) {
        running = false;
        writer.interrupt();
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
        Confirms expected = new Confirms();
        created.addConfirmListener((tag, multiple) -> expected.settle(tag, multiple, null),
                (tag, multiple) -> expected.settle(tag, multiple, new IOException("the broker refused the message")));
        created.addReturnListener(returned -> expected.fail(Long.parseLong(returned.getProperties().getMessageId()),
                new IOException("the broker could not route the message: " + returned.getReplyText())));
        // Confirms of a lost channel never come; a recovered channel numbers its publishes from 1 again.
        created.addShutdownListener(cause -> expected.failAll(new IOException("channel closed: " + cause.getMessage())));
        confirms = expected;
        return created;
    }
}
