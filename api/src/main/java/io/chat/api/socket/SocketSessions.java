package io.chat.api.socket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.api.config.ApiConfig;
import io.chat.api.error.InvalidRequestException;
import io.chat.api.error.Problem;
import io.chat.api.events.EventFanout;
import io.chat.api.events.rest.EventEndpoints;
import io.chat.api.identity.Caller;
import io.chat.api.message.rest.MessageEndpoints;
import io.chat.api.message.rest.NewMessageRequest;
import io.chat.api.ratelimit.RateLimits;
import io.chat.common.events.ChatEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * What a chat's socket does, whichever path it opened on (ChatSocket, ClientChatSocket): it follows
 * the chat's events as its SSE stream would (SocketSession), and takes frames from the client:
 * <ul>
 * <li>{"type": "message.create", "body", "ref", "sender", "idempotency_key"}: posted as POST …/messages
 * would be, counted against the same rate limits, and answered with an ack carrying the Message
 * once the broker confirmed it, or an error carrying the problem the request would get;
 * <li>{"type": "typing"}: a typing event to the chat's followers on every replica, at most one a
 * second per socket (more are dropped), for a socket that names its user.
 * </ul>
 * Anything else gets an error frame and the socket stays open. Frames past
 * chat.events.socket-frames a second (twice that in a burst) get a 429 error frame; a client that
 * goes on regardless is closed with 1008. A frame over 64 KiB is closed with 1009 by Vert.x
 * (quarkus.websockets-next.server.max-frame-size).
 */
@ApplicationScoped
public class SocketSessions {

    private static final Logger LOG = Logger.getLogger(SocketSessions.class);
    private static final Duration RATE_CHECK_TIMEOUT = Duration.ofSeconds(3);
    private static final int MAX_REF = 255;

    private final Map<String, SocketSession> open = new ConcurrentHashMap<>();
    private final EventEndpoints events;
    private final MessageEndpoints messages;
    private final RateLimits rateLimits;
    private final EventFanout fanout;
    private final Frames frames;
    private final ObjectMapper json;
    private final Validator validator;
    private final int framesPerSecond;

    public SocketSessions(EventEndpoints events, MessageEndpoints messages, RateLimits rateLimits, EventFanout fanout,
            Frames frames, ObjectMapper json, Validator validator, ApiConfig config) {
        this.events = events;
        this.messages = messages;
        this.rateLimits = rateLimits;
        this.fanout = fanout;
        this.frames = frames;
        this.json = json;
        this.validator = validator;
        this.framesPerSecond = config.events().socketFrames();
    }

    void open(WebSocketConnection connection) {
        SocketSession session = new SocketSession(connection, frames, framesPerSecond);
        open.put(connection.id(), session);
        try {
            events.follow(connection.userData().get(SocketUpgrade.TARGET)).subscribe().withSubscriber(session);
        } catch (RuntimeException e) {
            // The caps filled up between the upgrade and now.
            send(connection, frames.error(null, frames.problem(e)));
            session.close(SocketSession.STREAM_ENDED);
        }
    }

    void close(WebSocketConnection connection) {
        SocketSession session = open.remove(connection.id());
        if (session != null) {
            session.cancel();
        }
    }

    /** A text frame from the client: answered, when it needs an answer, on this thread (frames of one socket come one at a time). */
    void receive(WebSocketConnection connection, String text) {
        SocketSession session = open.get(connection.id());
        if (session == null) {
            return;
        }
        if (!session.takeFrame()) {
            if (session.flooding()) {
                session.close(SocketSession.FLOODED);
                return;
            }
            send(connection, frames.error(null, Problem.of("rate-limited", "Too many requests", 429,
                    "More than " + framesPerSecond + " frames a second on this socket; slow down")));
            return;
        }
        send(connection, answer(connection, session, text));
    }

    /** The answer to a frame: an ack, an error, or null for none. */
    private String answer(WebSocketConnection connection, SocketSession session, String text) {
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (JsonProcessingException e) {
            return frames.error(null, notAFrame());
        }
        if (frame == null || !frame.isObject() || !frame.path("type").isTextual()) {
            return frames.error(null, notAFrame());
        }
        JsonNode given = frame.path("ref");
        String ref = given.isTextual() && given.textValue().length() <= MAX_REF ? given.textValue() : null;
        try {
            if (!given.isMissingNode() && ref == null) {
                throw new InvalidRequestException("ref", "must be a string of at most " + MAX_REF + " characters");
            }
            return switch (frame.path("type").textValue()) {
                case "message.create" -> create(connection, frame, ref);
                case "typing" -> typing(connection, session);
                default -> throw new InvalidRequestException("type", "must be message.create or typing");
            };
        } catch (RuntimeException e) {
            return frames.error(ref, frames.problem(e));
        }
    }

    /**
     * A frame too large for quarkus.websockets-next.server.max-message-size (a message sent in many
     * frames; a single frame over max-frame-size is refused by Netty itself): closed as Netty would, 1009.
     */
    void tooLarge(WebSocketConnection connection) {
        connection.close(new CloseReason(SocketSession.TOO_LARGE, "message over 64 KiB")).subscribe().with(closed -> {
        }, failure -> {
        });
    }

    /** Frames are JSON text: a binary one is answered as an unreadable one. */
    void receiveBinary(WebSocketConnection connection) {
        send(connection, frames.error(null, notAFrame()));
    }

    /** Sends an answer, unless there is none or the client went meanwhile. */
    private static void send(WebSocketConnection connection, String frame) {
        if (frame != null && connection.isOpen()) {
            connection.sendText(frame).subscribe().with(sent -> {
            }, failure -> LOG.debugf("an answer to a socket was not sent: %s", failure.getMessage()));
        }
    }

    private String create(WebSocketConnection connection, JsonNode frame, String ref) {
        Caller caller = connection.userData().get(SocketUpgrade.CALLER);
        NewMessageRequest request = new NewMessageRequest(text(frame, "body"), text(frame, "sender"));
        Set<ConstraintViolation<NewMessageRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        if (request.body() == null) {
            throw new InvalidRequestException("body", "must not be blank");
        }
        RateLimits.Refusal limited = rateLimits.count(caller).await().atMost(RATE_CHECK_TIMEOUT);
        if (limited != null) {
            return frames.error(ref, limited.problem());
        }
        int chat = Integer.parseInt(connection.pathParam("number"));
        Response answer = messages.create(caller, "", chat, text(frame, "idempotency_key"), request);
        return answer.getStatus() == 202 ? frames.ack(ref, answer.getEntity())
                : frames.error(ref, json.convertValue(readTree(answer.getEntity()), Problem.class));
    }

    private String typing(WebSocketConnection connection, SocketSession session) {
        EventEndpoints.Target target = connection.userData().get(SocketUpgrade.TARGET);
        if (target.member() == null) {
            throw new InvalidRequestException("type", "typing needs a user: a user token, or user= with the application's token");
        }
        if (session.typingDue()) {
            fanout.publish(ChatEvent.ephemeral(target.chatId(), ChatEvent.TYPING, target.member()));
        }
        return null;
    }

    /** A string field of the frame, or null when absent; another type is a 400. */
    private static String text(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(field, "has the wrong type");
        }
        return value.textValue();
    }

    private JsonNode readTree(Object entity) {
        try {
            return entity instanceof String stored ? json.readTree(stored) : json.valueToTree(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored answer is JSON", e);
        }
    }

    private static Problem notAFrame() {
        return Problem.validation(java.util.List.of(new Problem.FieldError(null,
                "a frame is a JSON object with a type: message.create or typing")));
    }
}
