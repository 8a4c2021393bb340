package io.chat.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Problems answered by Vert.x handlers, before or around Quarkus REST: the same JSON as the mappers'. */
@ApplicationScoped
public class RawProblems {

    private final ObjectMapper json;

    public RawProblems(ObjectMapper json) {
        this.json = json;
    }

    public String toJson(Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem is always serializable", e);
        }
    }

    /** Ends the response with {@code problem}; headers already set (Allow, Connection) are kept. */
    public void send(RoutingContext context, Problem problem) {
        context.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(toJson(problem));
    }
}
