package io.chat.worker.support;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.chat.common.messaging.BrokerSettings;
import io.chat.common.messaging.MessageCodec;
import io.chat.common.messaging.MessageOperation;
import io.chat.common.messaging.MessageQueues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Publishes to, and reads the dead letters of, a worker's queue on the real RabbitMQ. */
public final class OperationQueue implements AutoCloseable {

    public record DeadLetter(byte[] body, String reason) {
    }

    private final String queue;
    private final Connection connection;
    private final Channel channel;

    public OperationQueue(String queue) throws Exception {
        this.queue = queue;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        connection = factory.newConnection("worker-test");
        channel = connection.createChannel();
        declare();
        channel.confirmSelect();
    }

    public void publish(MessageOperation operation) throws Exception {
        publish(MessageCodec.encode(operation));
    }

    public void publish(byte[] payload) throws Exception {
        channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), payload);
        channel.waitForConfirmsOrDie(5_000);
    }

    /** Publishes one broker message holding the operations, as the API sends them. */
    public void publishTogether(MessageOperation... operations) throws Exception {
        publish(MessageCodec.join(Arrays.stream(operations).map(MessageCodec::encode).toList()));
    }

    /** Declares the queue and its dead-letter queue (again). */
    public void declare() throws Exception {
        MessageQueues.declare(channel, queue, BrokerSettings.QueueType.CLASSIC);
    }

    /** Deletes the dead-letter queue: until {@link #declare}, nothing can be dead-lettered. */
    public void deleteDeadLetterQueue() throws Exception {
        channel.queueDelete(MessageQueues.deadLetters(queue));
    }

    public void purge() throws Exception {
        channel.queuePurge(queue);
        channel.queuePurge(MessageQueues.deadLetters(queue));
    }

    public List<DeadLetter> drainDeadLetters() throws Exception {
        List<DeadLetter> letters = new ArrayList<>();
        GetResponse response;
        while ((response = channel.basicGet(MessageQueues.deadLetters(queue), true)) != null) {
            Object reason = response.getProps().getHeaders().get(MessageQueues.REASON_HEADER);
            letters.add(new DeadLetter(response.getBody(), String.valueOf(reason)));
        }
        return letters;
    }

    /** The queue's messages that are not settled yet: ready, or delivered and not acked (rabbitmqctl). */
    public long unsettled() throws Exception {
        Process process = new ProcessBuilder("rabbitmqctl", "-q", "list_queues", "name", "messages").redirectErrorStream(true).start();
        String listed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("rabbitmqctl list_queues failed: " + listed);
        }
        return listed.lines().map(line -> line.trim().split("\\s+")).filter(fields -> fields.length == 2 && fields[0].equals(queue))
                .mapToLong(fields -> Long.parseLong(fields[1])).findFirst()
                .orElseThrow(() -> new IllegalStateException("no queue " + queue + " in: " + listed));
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
