package io.chat.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a declared body over quarkus.http.limits.max-body-size with a problem+json 413 before
 * anything reads it. Quarkus's own check (route order -2) still guards chunked bodies, with a bare 413.
 */
@ApplicationScoped
public class BodySizeLimit {

    private final long maxBytes;
    private final String problem;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            ObjectMapper json) throws JsonProcessingException {
        this.maxBytes = maxBodySize.asLongValue();
        this.problem = json.writeValueAsString(Problem.of("payload-too-large", "Payload too large", 413,
                "The request body is larger than " + maxBytes + " bytes"));
    }

    void install(@Observes Router router) {
        router.route().order(-3).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && isOverLimit(length)) {
                context.response()
                        .setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(problem);
            } else {
                context.next();
            }
        });
    }

    private boolean isOverLimit(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false; // Vert.x rejects a malformed Content-Length itself
        }
    }
}
