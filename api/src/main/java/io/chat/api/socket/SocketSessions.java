package io.chat.api.socket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.api.config.ApiConfig;
import io.chat.api.error.InvalidRequestException;
import io.chat.api.error.Problem;
import io.chat.api.events.EventFanout;
import io.chat.api.events.rest.EventEndpoints;
import io.chat.common.events.ChatEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * What a chat's socket does, whichever path it opened on (ChatSocket, ClientChatSocket): it follows
 * the chat's events as its SSE stream would (SocketSession), and takes frames from the client:
 * <ul>
 * <li>{"type": "message.create", "body", "ref", "sender", "idempotency_key"}: posted as POST …/messages
 * would be (SocketPosts), and answered with an ack carrying the Message once the broker confirmed
 * it, or an error carrying the problem the request would get;
 * <li>{"type": "typing"}: a typing event to the chat's followers on every replica, at most one a
 * second per socket (more are dropped), for a socket that names its user.
 * </ul>
 * Anything else gets an error frame, with the frame's ref when it has one, and the socket stays open.
 * Frames of one socket are handled one at a time (the endpoints' SERIAL mode). Frames past
 * chat.events.socket-frames a second (twice that in a burst), text or binary, get a 429 error frame;
 * a client that goes on regardless, or that lets answers pile up unread, is closed with 1008. A
 * message over 64 KiB is closed with 1009.
 */
@ApplicationScoped
public class SocketSessions {

    private static final Logger LOG = Logger.getLogger(SocketSessions.class);
    private static final int MAX_REF = 255;

    private final Map<String, SocketSession> open = new ConcurrentHashMap<>();
    private final EventEndpoints events;
    private final SocketPosts posts;
    private final EventFanout fanout;
    private final Frames frames;
    private final ObjectMapper json;
    private final int framesPerSecond;

    public SocketSessions(EventEndpoints events, SocketPosts posts, EventFanout fanout, Frames frames, ObjectMapper json,
            ApiConfig config) {
        this.events = events;
        this.posts = posts;
        this.fanout = fanout;
        this.frames = frames;
        this.json = json;
        this.framesPerSecond = config.events().socketFrames();
    }

    void open(WebSocketConnection connection) {
        SocketSession session = new SocketSession(connection, frames, framesPerSecond);
        open.put(connection.id(), session);
        try {
            events.follow(connection.userData().get(SocketUpgrade.TARGET)).subscribe().withSubscriber(session);
        } catch (RuntimeException e) {
            // The caps filled up between the upgrade and now: try again later.
            session.send(frames.error(null, frames.problem(e)));
            session.close(SocketSession.Ending.TRY_AGAIN_LATER);
        }
    }

    void close(WebSocketConnection connection) {
        SocketSession session = open.remove(connection.id());
        if (session != null) {
            session.cancel();
        }
    }

    /** A text frame from the client, answered when it needs an answer. */
    void receive(WebSocketConnection connection, String text) {
        SocketSession session = open.get(connection.id());
        if (session == null) {
            return;
        }
        JsonNode frame = parse(text);
        JsonNode given = frame == null ? null : frame.get("ref");
        String ref = given != null && given.isTextual() && given.textValue().length() <= MAX_REF ? given.textValue() : null;
        if (admitted(session, ref)) {
            session.send(answer(connection, session, frame, given, ref));
        }
    }

    /** Frames are JSON text: a binary one is answered as an unreadable one. */
    void receiveBinary(WebSocketConnection connection) {
        SocketSession session = open.get(connection.id());
        if (session != null && admitted(session, null)) {
            session.send(frames.error(null, notAFrame()));
        }
    }

    /**
     * A failure Vert.x raised on the socket: a message over the size limit is closed with 1009 (a
     * frame over it, Netty closes by itself); anything else is logged and closed with 1011.
     */
    void failed(WebSocketConnection connection, IllegalStateException failure) {
        boolean tooLarge = String.valueOf(failure.getMessage()).contains("max message size");
        if (!tooLarge) {
            LOG.errorf(failure, "A socket failed");
        }
        connection.close(tooLarge ? new CloseReason(SocketSession.Ending.TOO_LARGE.code, SocketSession.Ending.TOO_LARGE.reason)
                : CloseReason.INTERNAL_SERVER_ERROR).subscribe().with(closed -> {
                }, closing -> {
                });
    }

    /** Whether the frame is within the socket's rate; if not, a 429 error frame, or past the burst twice over, the close. */
    private boolean admitted(SocketSession session, String ref) {
        if (session.takeFrame()) {
            return true;
        }
        if (session.flooding()) {
            session.close(SocketSession.Ending.FLOODED);
        } else {
            session.send(frames.error(ref, Problem.of("rate-limited", "Too many requests", 429,
                    "More than " + framesPerSecond + " frames a second on this socket; slow down")));
        }
        return false;
    }

    /** The answer to a frame: an ack, an error, or null for none. */
    private String answer(WebSocketConnection connection, SocketSession session, JsonNode frame, JsonNode given, String ref) {
        if (frame == null || !frame.isObject() || !frame.path("type").isTextual()) {
            return frames.error(null, notAFrame());
        }
        try {
            if (given != null && ref == null) {
                throw new InvalidRequestException("ref", "must be a string of at most " + MAX_REF + " characters");
            }
            return switch (frame.path("type").textValue()) {
                case "message.create" -> create(connection, session, frame, ref);
                case "typing" -> typing(connection, session);
                default -> throw new InvalidRequestException("type", "must be message.create or typing");
            };
        } catch (RuntimeException e) {
            return frames.error(ref, frames.problem(e));
        }
    }

    private String create(WebSocketConnection connection, SocketSession session, JsonNode frame, String ref) {
        SocketPosts.Answer answer = posts.create(connection.userData().get(SocketUpgrade.CALLER),
                Integer.parseInt(connection.pathParam("number")), frame, ref);
        if (answer.tokenRefused()) {
            session.send(answer.frame());
            session.close(SocketSession.Ending.TOKEN_REFUSED);
            return null;
        }
        return answer.frame();
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

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static Problem notAFrame() {
        return Problem.validation(List.of(new Problem.FieldError(null, "a frame is a JSON object with a type: message.create or typing")));
    }
}
