package io.chat.common.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** The wire format of {@link MessageOperation}: UTF-8 JSON, the same for every producer and consumer. */
public final class MessageCodec {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    private MessageCodec() {
    }

    public static byte[] encode(MessageOperation operation) {
        try {
            return JSON.writeValueAsBytes(operation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a MessageOperation is always serializable", e);
        }
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
