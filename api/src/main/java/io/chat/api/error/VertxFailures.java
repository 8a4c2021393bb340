package io.chat.api.error;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Requests that Vert.x refuses before Quarkus REST sees them, such as a malformed percent escape in
 * the query (`?q=%`) or a control character in a header, got a bare status with no body: a problem
 * like every other error instead.
 */
@ApplicationScoped
public class VertxFailures {

    private final RawProblems problems;

    public VertxFailures(RawProblems problems) {
        this.problems = problems;
    }

    void install(@Observes Router router) {
        // Ahead of Quarkus's own failure handler, which ends such a request with a bare status.
        router.route().order(-6).failureHandler(this::badRequest);
    }

    private void badRequest(RoutingContext context) {
        if (context.statusCode() != 400) {
            context.next();
        } else if (!context.response().ended()) {
            problems.send(context, Problem.of("bad-request", "Bad request", 400,
                    "The request line, a percent escape or a header is malformed"));
        }
    }
}
