package io.chat.api.error;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.ByteArrayInputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Answers a body over quarkus.http.limits.max-body-size with a problem+json 413. A declared
 * Content-Length is checked before anything reads the body. A chunked body declares no length: it is
 * read here, up to the limit, and handed on whole; left to Quarkus REST, one over the limit got a
 * bare 413 and two ERROR logs. Handed on as the request's entity ({@link #handOn}): a resource that
 * does not block (POST of a message) reads its body on the event loop, where Quarkus REST finds the
 * request ended and would read nothing.
 */
@ApplicationScoped
public class BodySizeLimit {

    private static final String READ_HERE = BodySizeLimit.class.getName();

    private final long maxBytes;
    private final Problem problem;
    private final RawProblems problems;

    public BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            RawProblems problems) {
        this.maxBytes = maxBodySize.asLongValue();
        this.problem = Problem.of("payload-too-large", "Payload too large", 413, "The request body is larger than " + maxBytes + " bytes");
        this.problems = problems;
    }

    void install(@Observes Router router) {
        router.route().order(-3).handler(context -> {
            HttpServerRequest request = context.request();
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && isOverLimit(length)) {
                refuse(context);
            } else if (length == null && request.headers().contains(HttpHeaders.TRANSFER_ENCODING) && !request.isEnded()) {
                readUpToTheLimit(context);
            } else {
                context.next();
            }
        });
    }

    private void readUpToTheLimit(RoutingContext context) {
        Buffer body = Buffer.buffer();
        HttpServerRequest request = context.request();
        request.handler(chunk -> {
            if (context.response().ended()) {
                return; // refused: the rest is dropped
            }
            if (body.length() + chunk.length() > maxBytes) {
                refuse(context);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(end -> {
            if (!context.response().ended()) {
                context.setBody(body);
                context.put(READ_HERE, body);
                context.next();
            }
        });
        request.resume();
    }

    /** A chunked body read here becomes the entity Quarkus REST reads, whichever thread reads it. */
    @ServerRequestFilter(preMatching = true)
    public void handOn(ContainerRequestContext request, RoutingContext context) {
        if (context.get(READ_HERE) instanceof Buffer body) {
            request.setEntityStream(new ByteArrayInputStream(body.getBytes()));
        }
    }

    private void refuse(RoutingContext context) {
        context.response().putHeader(HttpHeaders.CONNECTION, "close");
        problems.send(context, problem);
    }

    private boolean isOverLimit(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false; // Vert.x rejects a malformed Content-Length itself
        }
    }
}
