package io.chat.api.http;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * Every request gets an id: the X-Request-Id that NGINX sets, or a new one. It is put in the
 * logging context (every log line of the request shows it) and echoed in the response.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    private static final String VALID = "[\\x21-\\x7E]{1,128}";

    void install(@Observes Router router) {
        router.route().order(-5).handler(context -> {
            String id = context.request().getHeader(HEADER);
            if (id == null || !id.matches(VALID)) {
                id = UUID.randomUUID().toString();
            }
            MDC.put("request_id", id);
            context.response().putHeader(HEADER, id);
            context.next();
        });
    }
}
