package io.chat.worker.message;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.chat.common.messaging.BrokerConnections;
import io.chat.common.messaging.BrokerSettings;
import io.chat.common.messaging.BrokerLink;
import io.chat.common.messaging.MessageCodec;
import io.chat.common.messaging.MessageQueues;
import io.chat.worker.config.WorkerConfig;
import io.chat.worker.message.BatchApplier.DeadLetter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * Consumes message operations with manual acknowledgements and a bounded prefetch, and hands them
 * to {@link BatchApplier} in batches: this class is the broker's side only. A delivery is acknowledged only after its batch committed (or after it was
 * dead-lettered), so a worker killed at any instant loses nothing: the broker redelivers what was
 * not acknowledged, and applying it again changes nothing.
 */
@ApplicationScoped
public class OperationConsumer implements BrokerLink {

    private static final Logger LOG = Logger.getLogger(OperationConsumer.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;
    private static final long DEAD_LETTER_RETRY_MILLIS = 1_000;

    /** One broker message: the payloads of the operations it holds, settled together. */
    private record Delivery(Channel channel, long tag, List<byte[]> operations) {
    }

    private final ConnectionFactory factory;
    private final BrokerSettings broker;
    private final String queue;
    private final int prefetch;
    private final int batchSize;
    private final BatchApplier applier;
    private final Map<DeadLetter, Counter> deadLettered = new EnumMap<>(DeadLetter.class);
    private final AtomicLong queueDepth = new AtomicLong();
    private final AtomicBoolean deadLetterReturned = new AtomicBoolean();
    private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

    private volatile boolean running;
    private Thread loop;
    private volatile Connection connection;
    private Channel deadLetterChannel;

    public OperationConsumer(WorkerConfig config, BatchApplier applier, MeterRegistry metrics) {
        this.factory = BrokerConnections.factory(config.rabbitmq());
        this.broker = config.rabbitmq();
        this.queue = config.rabbitmq().queue();
        this.prefetch = config.consumer().prefetch();
        this.batchSize = config.consumer().batchSize();
        this.applier = applier;
        for (DeadLetter kind : DeadLetter.values()) {
            deadLettered.put(kind, Counter.builder("chat.message.operations.dead_lettered")
                    .description("Message operations moved to the dead-letter queue").tag("kind", kind.tag).register(metrics));
        }
        metrics.gauge("chat.message.operations.queue.depth", queueDepth);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        loop = new Thread(this::run, "message-operations");
        loop.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        loop.interrupt();
        loop.join(10_000);
        if (connection != null) {
            try {
                connection.close(2_000);
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the RabbitMQ connection", e);
            }
        }
    }

    private void run() {
        long backoff = 500;
        while (running) {
            try {
                if (connection == null) {
                    connect();
                    backoff = 500;
                }
                List<Delivery> batch = nextBatch();
                try {
                    process(batch);
                } catch (RuntimeException e) {
                    // Unacked deliveries would sit on this channel until it closes: hand them back.
                    LOG.error("Unexpected failure applying a batch; requeueing it", e);
                    batch.forEach(this::requeue);
                    throw e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.warnf("Consuming failed (%s); retrying in %d ms", e.getMessage(), backoff);
                if (!pause(backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            }
        }
    }

    /** Samples the broker's count of operations waiting in the queue, for the queue depth gauge. */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void sampleQueueDepth() {
        Connection current = connection;
        if (current == null || !current.isOpen()) {
            return;
        }
        try (Channel channel = current.createChannel()) {
            queueDepth.set(channel.queueDeclarePassive(queue).getMessageCount());
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.debugf("could not sample the queue depth: %s", e.getMessage());
        }
    }

    /** For readiness: consuming (the client recovers a lost connection by itself). */
    @Override
    public boolean isConnected() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    /** Once connected, the client recovers the connection and the consumer by itself. */
    private void connect() throws IOException, TimeoutException {
        Connection opened = BrokerConnections.connect(factory, broker, "chat-worker");
        try {
            Channel channel = opened.createChannel();
            MessageQueues.declare(channel, queue, broker.queueType());
            channel.basicQos(prefetch);
            channel.basicConsume(queue, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    deliveries.add(new Delivery(channel, envelope.getDeliveryTag(), MessageCodec.split(body)));
                }
            });
            deadLetterChannel = deadLetterChannel(opened);
        } catch (IOException | RuntimeException e) {
            opened.abort();
            throw e;
        }
        connection = opened;
        LOG.info("Consuming message operations");
    }

    private Channel deadLetterChannel(Connection opened) throws IOException {
        Channel created = opened.createChannel();
        created.confirmSelect();
        created.addReturnListener(returned -> deadLetterReturned.set(true));
        return created;
    }

    /** Whole deliveries, as many as hold at most batch-size operations in all (always the first one). */
    private List<Delivery> nextBatch() throws InterruptedException {
        List<Delivery> batch = new ArrayList<>();
        Delivery first = deliveries.poll(500, TimeUnit.MILLISECONDS);
        if (first == null) {
            return batch;
        }
        batch.add(first);
        int operations = first.operations().size();
        // Only this thread takes from the queue: what it peeks at is what it polls.
        for (Delivery next = deliveries.peek(); next != null && operations + next.operations().size() <= batchSize;
                next = deliveries.peek()) {
            batch.add(deliveries.poll());
            operations += next.operations().size();
        }
        return batch;
    }

    /**
     * Dead-letters each operation that never can be persisted, then acks with one ack per channel
     * every delivery whose operations are all persisted or dead-lettered: the batch is the oldest of
     * this channel's unsettled deliveries, so an ack of its last such tag with multiple=true covers
     * exactly those (one that could not be dead-lettered is requeued first). After the client recovered
     * the channel, it drops an ack of a tag from before: those are redelivered, and applying one
     * again changes nothing.
     */
    private void process(List<Delivery> batch) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        List<byte[]> payloads = batch.stream().flatMap(delivery -> delivery.operations().stream()).toList();
        BatchApplier.Outcome[] outcomes = applier.apply(payloads, () -> running);
        // By channel: a batch may hold deliveries of a channel given up on, and of the one after it.
        Map<Channel, Delivery> last = new LinkedHashMap<>();
        int next = 0;
        boolean requeued = false;
        for (Delivery delivery : batch) {
            int from = next;
            next += delivery.operations().size();
            if (settlePoison(payloads.subList(from, next), Arrays.asList(outcomes).subList(from, next))) {
                last.merge(delivery.channel(), delivery, (one, other) -> one.tag() > other.tag() ? one : other);
            } else {
                requeue(delivery);
                requeued = true;
            }
        }
        last.values().forEach(this::ack);
        if (requeued) {
            // It comes back at once: not a loop that rewrites its persisted operations as fast as it can.
            pause(DEAD_LETTER_RETRY_MILLIS);
        }
    }

    /** Dead-letters the operations of a delivery that are not persisted; false when that failed. */
    private boolean settlePoison(List<byte[]> payloads, List<BatchApplier.Outcome> outcomes) {
        List<Integer> poison = IntStream.range(0, outcomes.size()).filter(i -> !outcomes.get(i).persisted()).boxed().toList();
        if (poison.isEmpty()) {
            return true;
        }
        try {
            if (!deadLetterChannel.isOpen()) {
                // waitForConfirmsOrDie closes it on a nack or a timeout; the client recovers only what a lost connection closed
                deadLetterChannel = deadLetterChannel(connection);
            }
            deadLetterReturned.set(false);
            for (int i : poison) {
                LOG.warnf("Dead-lettering a message operation: %s", outcomes.get(i).reason());
                deadLetterChannel.basicPublish("", MessageQueues.deadLetters(queue), true,
                        deadLetterProperties(outcomes.get(i).reason()), payloads.get(i));
            }
            deadLetterChannel.waitForConfirmsOrDie(5_000);
            if (deadLetterReturned.get()) {
                // a confirm also comes for an unroutable message: without this it would be acked and lost
                throw new IOException("the dead-letter queue is missing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException | TimeoutException | RuntimeException e) {
            LOG.warnf("Could not dead-letter (%s); the message is redelivered later", e.getMessage());
            return false;
        }
        poison.forEach(i -> deadLettered.get(outcomes.get(i).deadLetter()).increment());
        return true;
    }

    private static AMQP.BasicProperties deadLetterProperties(String reason) {
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/json")
                .headers(Map.of(MessageQueues.REASON_HEADER, reason))
                .build();
    }

    private void ack(Delivery delivery) {
        try {
            delivery.channel().basicAck(delivery.tag(), true);
        } catch (IOException | RuntimeException e) {
            // The channel is gone: the broker redelivers, and applying again changes nothing.
            LOG.debugf("ack of %d lost: %s", delivery.tag(), e.getMessage());
        }
    }

    private void requeue(Delivery delivery) {
        try {
            delivery.channel().basicNack(delivery.tag(), false, true);
        } catch (IOException | RuntimeException ignored) {
            // the channel is gone: the broker redelivers it anyway
        }
    }

    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return running;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
