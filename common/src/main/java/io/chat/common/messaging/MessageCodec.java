package io.chat.common.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire format of {@link MessageOperation}: UTF-8 JSON, the same for every producer and consumer.
 * A broker message holds a JSON array of operations (the API's), or one operation as an object (what
 * an API before batching sent, and each dead letter).
 */
public final class MessageCodec {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            // "[a] [b]" or "{…}junk" is not one message: never read a part and drop the rest
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    private MessageCodec() {
    }

    public static byte[] encode(MessageOperation operation) {
        try {
            return JSON.writeValueAsBytes(operation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a MessageOperation is always serializable", e);
        }
    }

    /** One broker message holding the operations, each as {@link #encode} gave it, in their order. */
    public static byte[] join(List<byte[]> encoded) {
        int length = encoded.isEmpty() ? 2 : encoded.stream().mapToInt(operation -> operation.length + 1).sum() + 1;
        byte[] message = new byte[length];
        message[0] = '[';
        int at = 1;
        for (byte[] operation : encoded) {
            System.arraycopy(operation, 0, message, at, operation.length);
            at += operation.length;
            message[at++] = ',';
        }
        message[length - 1] = ']'; // over the last comma, or after '[' when there is none
        return message;
    }

    /**
     * The payloads of the operations a broker message holds, each for {@link #decode}: the elements of
     * an array, or else the message itself (one operation, or one poison payload as it came).
     */
    public static List<byte[]> split(byte[] message) {
        if (!startsAnArray(message)) {
            return List.of(message);
        }
        JsonNode array;
        try {
            array = JSON.readTree(message);
        } catch (IOException e) {
            return List.of(message); // not JSON: poison as a whole
        }
        List<byte[]> payloads = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            try {
                payloads.add(JSON.writeValueAsBytes(element));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a parsed JSON node is always serializable", e);
            }
        }
        return payloads;
    }

    private static boolean startsAnArray(byte[] message) {
        for (byte b : message) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '[';
            }
        }
        return false;
    }

    /** Decodes and checks a payload; a payload that is neither is a poison message. */
    public static MessageOperation decode(byte[] payload) throws InvalidPayloadException {
        MessageOperation operation;
        try {
            operation = JSON.readValue(payload, MessageOperation.class);
        } catch (JsonProcessingException e) {
            throw new InvalidPayloadException("not a message operation: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidPayloadException("not a message operation: " + e.getMessage(), e);
        }
        if (operation == null || !operation.isWellFormed()) {
            throw new InvalidPayloadException("incomplete message operation", null);
        }
        return operation;
    }

    public static class InvalidPayloadException extends Exception {
        public InvalidPayloadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
