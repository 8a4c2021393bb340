package io.chat.api.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The API has one representation of everything, JSON (problem+json for errors), so Accept is
 * disregarded (RFC 9110, 12.5.1): a client sending `Accept: application/problem+json` or
 * `text/html` gets the JSON answer, instead of a 406 from Quarkus REST with the request not done.
 */
public class AnyAccept {

    @ServerRequestFilter(preMatching = true)
    public void disregardAccept(ContainerRequestContext request) {
        request.getHeaders().remove(HttpHeaders.ACCEPT);
    }
}
