package io.chat.api.http;

import io.chat.api.error.InvalidRequestException;
import io.chat.api.idempotency.IdempotentRequests;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A request means one thing or is refused with a 400, never read one way here and another way by a
 * proxy or cache in front. Each query parameter and the Idempotency-Key come at most once: which of
 * two would a client expect to win? Parameters are separated by {@code &} only: Netty also splits on
 * {@code ;}, which read "limit=1;DROP TABLE chats" as limit=1, so a ';' in a value must be
 * percent-encoded.
 */
public class UnambiguousRequests {

    @ServerRequestFilter(preMatching = true)
    public void refuseAmbiguity(ContainerRequestContext request) {
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if (query != null) {
            for (String parameter : query.split("&")) {
                if (parameter.indexOf(';') >= 0) {
                    throw new InvalidRequestException(name(parameter), "must not contain a bare ';' (percent-encode it as %3B)");
                }
            }
        }
        request.getUriInfo().getQueryParameters().forEach((name, values) -> {
            if (values.size() > 1) {
                throw new InvalidRequestException(name, "must be given once");
            }
        });
        List<String> keys = request.getHeaders().get(IdempotentRequests.HEADER);
        if (keys != null && keys.size() > 1) {
            throw new InvalidRequestException(IdempotentRequests.HEADER, "must be given once");
        }
        if (keys != null && keys.get(0).isEmpty()) {
            // Quarkus hands an empty header to the resource as no header: the request would run unprotected.
            throw new InvalidRequestException(IdempotentRequests.HEADER, IdempotentRequests.KEY_RULE);
        }
    }

    private static String name(String parameter) {
        String name = parameter.split("[=;]", 2)[0];
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }
}
