package io.chat.common.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.List;

/**
 * How committed events reach every API replica: a RabbitMQ fanout exchange, one message per
 * committed batch (a JSON array of {@link ChatEvent}), and a queue of its own per replica. The
 * fan-out may lose or repeat a message (a worker dies between its commit and its publish, a replica
 * reconnects): the chat_events rows are the truth, and a subscriber fills any gap from them. The
 * exchange's name is configured (chat.events.exchange, "chat.events"): tests use their own.
 */
public final class ChatEventFanout {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<ChatEvent>> EVENTS = new TypeReference<>() {
    };

    private ChatEventFanout() {
    }

    public static void declare(Channel channel, String exchange) throws IOException {
        channel.exchangeDeclare(exchange, "fanout", true);
    }

    public static byte[] encode(List<ChatEvent> events) {
        try {
            return JSON.writeValueAsBytes(events);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a ChatEvent is always serializable", e);
        }
    }

    public static List<ChatEvent> decode(byte[] payload) throws IOException {
        return JSON.readValue(payload, EVENTS);
    }
}
