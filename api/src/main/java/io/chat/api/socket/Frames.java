package io.chat.api.socket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.chat.api.error.InvalidRequestException;
import io.chat.api.error.Problem;
import io.chat.api.error.ProblemMappers;
import io.chat.api.events.StreamItem;
import io.chat.api.identity.NotYoursException;
import io.chat.common.events.ChatEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;

/**
 * The JSON text frames a chat's socket sends: {"id", "type", "data"} for an event (no id on an
 * ephemeral one), {"type": "ack", "ref", "data": Message} and {"type": "error", "ref", "data":
 * problem}. An error's problem is the one the same failure gets as a request.
 */
@ApplicationScoped
public class Frames {

    private final ObjectMapper json;
    private final ProblemMappers problems;

    public Frames(ObjectMapper json, ProblemMappers problems) {
        this.json = json;
        this.problems = problems;
    }

    /** An event, a reset, or null for what is not a frame (a heartbeat, which goes as a ping). */
    String event(StreamItem item) {
        if (item instanceof StreamItem.Event event) {
            return frame(String.valueOf(event.event().seq()), event.event().type(), null, event.event().data());
        }
        if (item instanceof StreamItem.Ephemeral ephemeral) {
            ChatEvent event = ephemeral.event();
            return frame(null, event.type(), null, event.data());
        }
        if (item instanceof StreamItem.Reset reset) {
            return frame(String.valueOf(reset.seq()), "reset", null, "{}");
        }
        return null;
    }

    /** @param message the Message as JSON text, or as an object to write */
    String ack(String ref, Object message) {
        return frame(null, "ack", ref, message instanceof String text ? text : write(message));
    }

    String error(String ref, Problem problem) {
        return frame(null, "error", ref, write(problem));
    }

    /** The problem a request failing with {@code failure} would get. */
    Problem problem(Throwable failure) {
        if (failure instanceof WebApplicationException web && web.getResponse().getEntity() instanceof Problem problem) {
            return problem;
        }
        Object entity;
        if (failure instanceof InvalidRequestException invalid) {
            entity = problems.invalidRequest(invalid).getEntity();
        } else if (failure instanceof ConstraintViolationException violation) {
            entity = problems.constraintViolation(violation).getEntity();
        } else if (failure instanceof JsonProcessingException unreadable) {
            entity = problems.unreadableJson(unreadable).getEntity();
        } else if (failure instanceof NotYoursException notYours) {
            entity = problems.notYours(notYours).getEntity();
        } else if (failure instanceof NotFoundException notFound) {
            entity = problems.notFound(notFound).getEntity();
        } else if (failure instanceof WebApplicationException web) {
            entity = problems.webApplication(web).getEntity();
        } else {
            entity = problems.unexpected(failure).getEntity();
        }
        return (Problem) entity;
    }

    /** A string field of a client's frame, or null when absent; another type is a 400. */
    static String text(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(field, "has the wrong type");
        }
        return value.textValue();
    }

    private String frame(String id, String type, String ref, String data) {
        ObjectNode frame = json.createObjectNode();
        if (id != null) {
            frame.put("id", id);
        }
        frame.put("type", type);
        if (ref != null) {
            frame.put("ref", ref);
        }
        frame.putRawValue("data", new RawValue(data));
        return write(frame);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a frame's data is always serializable", e);
        }
    }
}
