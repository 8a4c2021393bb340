package io.chat.api.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.api.config.ApiConfig;
import io.chat.api.error.InvalidRequestException;
import io.chat.api.error.Problem;
import io.chat.api.error.ServiceUnavailableException;
import io.chat.common.Hashes;
import io.chat.common.cache.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Idempotency-Key handling, shared by every API replica through Redis. The first request with a key
 * claims it (SET NX); a repeat gets the stored answer, a 409 while the first is in flight, or a 422
 * if it is not the same request. Only a success is stored: after a failure the key is released and
 * a retry runs again.
 */
@ApplicationScoped
public class IdempotentRequests {

    private static final Logger LOG = Logger.getLogger(IdempotentRequests.class);

    public static final String HEADER = "Idempotency-Key";
    public static final String KEY_RULE = "must be 1 to 255 printable ASCII characters";

    private static final String KEY_PATTERN = "[\\x20-\\x7E]{1,255}";

    /** What Redis holds for a key: the request's fingerprint and, once done, the answer. */
    record Entry(String fingerprint, Integer status, String location, String body) {
        boolean inFlight() {
            return status == null;
        }
    }

    private final ValueCommands<String, String> values;
    private final ObjectMapper json;
    private final ApiConfig.Idempotency config;

    public IdempotentRequests(RedisDataSource redis, ObjectMapper json, ApiConfig config) {
        this.values = redis.value(String.class);
        this.json = json;
        this.config = config.idempotency();
    }

    /**
     * Runs {@code request} once per (scope, key): the scope is an application's (its token), or one
     * user's of it (a user token), so that two users' keys never meet. {@code description}
     * identifies the request (method, path and body) so that reusing a key for another request is
     * caught. It is only computed when there is a key.
     */
    public Response run(String scope, String key, Supplier<String> description, Supplier<Response> request) {
        if (key == null) {
            return request.get();
        }
        if (!key.matches(KEY_PATTERN)) {
            throw new InvalidRequestException(HEADER, KEY_RULE);
        }
        String redisKey = RedisKeys.idempotency(Hashes.sha256Hex(scope + "\n" + key));
        String fingerprint = Hashes.sha256Hex(description.get());
        String claim = write(new Entry(fingerprint, null, null, null));
        String holder;
        try {
            // SET NX GET: claims the key, or returns what holds it, in one atomic step.
            holder = values.setGet(redisKey, claim, new SetArgs().nx().px(config.inFlightTimeout().toMillis()));
        } catch (RuntimeException e) {
            // Refused, reset, closed mid-command or timed out: nothing was done yet, so a 503.
            throw new ServiceUnavailableException("Redis could not claim the Idempotency-Key", e);
        }
        if (holder == null) {
            return runClaimed(redisKey, fingerprint, request);
        }
        return replay(read(holder), fingerprint);
    }

    private Response runClaimed(String redisKey, String fingerprint, Supplier<Response> request) {
        Response response;
        try {
            response = request.get();
        } catch (RuntimeException e) {
            release(redisKey);
            throw e;
        }
        if (response.getStatus() >= 200 && response.getStatus() < 300) {
            Entry done = new Entry(fingerprint, response.getStatus(), response.getHeaderString(HttpHeaders.LOCATION),
                    write(response.getEntity()));
            try {
                values.set(redisKey, write(done), new SetArgs().px(config.retention().toMillis()));
            } catch (RuntimeException e) {
                // The work is done: answer it. Repeats meet the in-flight claim (409) until it expires.
                LOG.warnf("could not store the answer for an idempotency key: %s", e.getMessage());
            }
        } else {
            release(redisKey);
        }
        return response;
    }

    /** After a failure the key is free again, so a retry runs; if Redis fails here, the claim expires. */
    private void release(String redisKey) {
        try {
            values.getdel(redisKey);
        } catch (RuntimeException e) {
            LOG.warnf("could not release an idempotency key (it expires by itself): %s", e.getMessage());
        }
    }

    private static Response replay(Entry entry, String fingerprint) {
        if (!entry.fingerprint().equals(fingerprint)) {
            return Problem.of("idempotency-key-reused", "Idempotency key reused", 422,
                    "This Idempotency-Key was used for a different request").toResponse().build();
        }
        if (entry.inFlight()) {
            return Problem.of("idempotency-key-in-flight", "Request in progress", 409,
                    "A request with this Idempotency-Key is still being handled").toResponse().build();
        }
        Response.ResponseBuilder replayed = Response.status(entry.status()).type(MediaType.APPLICATION_JSON).entity(entry.body());
        if (entry.location() != null) {
            replayed.header(HttpHeaders.LOCATION, entry.location());
        }
        return replayed.build();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer is always serializable", e);
        }
    }

    private Entry read(String stored) {
        try {
            return json.readValue(stored, Entry.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable idempotency entry", e);
        }
    }

}
