package io.chat.api.http;

import io.chat.api.error.Problem;
import io.chat.api.error.RawProblems;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * What a path is and which methods it takes, answered before anything else reads the request:
 * <ul>
 * <li>a path with a ';' names nothing (404): Quarkus REST would drop matrix parameters, so that
 * /applications/{token};x=1 named, and PUT or DELETE acted on, the application itself;</li>
 * <li>OPTIONS answers 204 with the path's Allow list, a method the path does not take 405 with it
 * (RFC 9110), for the API's resources and the operational endpoints under /q/ alike.</li>
 * </ul>
 * Other methods on paths no resource serves are left to Quarkus REST, which answers 404.
 */
@ApplicationScoped
public class PathsAndMethods {

    public static final Problem NOT_FOUND = Problem.of("not-found", "Not found", 404, "No resource at this path");
    public static final Problem NOT_ALLOWED = Problem.of("method-not-allowed", "Method not allowed", 405,
            "This path does not take that method");

    private final RawProblems problems;
    private AllowedMethods allowed;

    public PathsAndMethods(RawProblems problems) {
        this.problems = problems;
    }

    void start(@Observes StartupEvent event) {
        allowed = AllowedMethods.ofResources();
    }

    void install(@Observes Router router) {
        router.route().order(-4).handler(this::check);
    }

    public Set<String> allowed(String path) {
        return allowed.of(path);
    }

    private void check(RoutingContext context) {
        if (context.request().path().indexOf(';') >= 0) {
            problems.send(context, NOT_FOUND);
            return;
        }
        // Decoded, as Quarkus REST matches it: /chats/%31 is /chats/1.
        Set<String> methods = allowed(context.normalizedPath());
        String method = context.request().method().name();
        if (method.equals("OPTIONS") && methods.isEmpty()) {
            problems.send(context, NOT_FOUND); // Quarkus REST would answer 200 with a list for any path
        } else if (methods.isEmpty() || methods.contains(method) && !method.equals("OPTIONS")) {
            context.next();
        } else if (method.equals("OPTIONS")) {
            context.response().setStatusCode(204).putHeader(HttpHeaders.ALLOW, AllowedMethods.header(methods)).end();
        } else {
            context.response().putHeader(HttpHeaders.ALLOW, AllowedMethods.header(methods));
            problems.send(context, NOT_ALLOWED);
        }
    }
}
