package io.chat.api.socket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.api.error.Problem;
import io.chat.api.identity.BearerAuthentication;
import io.chat.api.identity.Caller;
import io.chat.api.message.rest.MessageEndpoints;
import io.chat.api.message.rest.NewMessageRequest;
import io.chat.api.ratelimit.RateLimits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A message posted over a socket, as POST …/messages would post it: validated as its body is,
 * counted against the same rate limits (past them: a 429 error frame; if Redis cannot say, it goes
 * through, as a request would), idempotent by {@code idempotency_key}. A user token is checked again
 * first, expiry and revocation, as on every request: the upgrade's check is not enough for a socket
 * that stays open.
 */
@ApplicationScoped
public class SocketPosts {

    /** The answer to a post: an ack or an error frame, and whether the socket's token no longer counts. */
    record Answer(String frame, boolean tokenRefused) {
    }

    private static final Logger LOG = Logger.getLogger(SocketPosts.class);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

    private final MessageEndpoints messages;
    private final RateLimits rateLimits;
    private final BearerAuthentication authentication;
    private final Frames frames;
    private final ObjectMapper json;
    private final Validator validator;

    public SocketPosts(MessageEndpoints messages, RateLimits rateLimits, BearerAuthentication authentication, Frames frames,
            ObjectMapper json, Validator validator) {
        this.messages = messages;
        this.rateLimits = rateLimits;
        this.authentication = authentication;
        this.frames = frames;
        this.json = json;
        this.validator = validator;
    }

    /** Blocking: MySQL, Redis and the broker's confirm. */
    Answer create(Caller caller, int chat, JsonNode frame, String ref) {
        if (caller instanceof Caller.User user && !authentication.stillCounts(user).await().atMost(CHECK_TIMEOUT)) {
            return new Answer(frames.error(ref, (Problem) BearerAuthentication.unauthorized().getEntity()), true);
        }
        NewMessageRequest request = new NewMessageRequest(Frames.text(frame, "body"), Frames.text(frame, "sender"));
        Set<ConstraintViolation<NewMessageRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        RateLimits.Refusal limited = limited(caller);
        if (limited != null) {
            return new Answer(frames.error(ref, limited.problem()), false);
        }
        Response answer = messages.create(caller, "", chat, Frames.text(frame, "idempotency_key"), request);
        return new Answer(answer.getStatus() == 202 ? frames.ack(ref, answer.getEntity())
                : frames.error(ref, json.convertValue(readTree(answer.getEntity()), Problem.class)), false);
    }

    private RateLimits.Refusal limited(Caller caller) {
        try {
            return rateLimits.count(caller).await().atMost(CHECK_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.debugf("a socket's post not counted, Redis did not answer in time: %s", e.getMessage());
            return null;
        }
    }

    private JsonNode readTree(Object entity) {
        try {
            return entity instanceof String stored ? json.readTree(stored) : json.valueToTree(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored answer is JSON", e);
        }
    }
}
