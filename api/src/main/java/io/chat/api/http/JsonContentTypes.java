package io.chat.api.http;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A body sent with POST or PUT says what it is, once: exactly one Content-Type, a concrete media
 * type, and no Content-Encoding (none is supported). Anything else is a 415 before a resource method
 * is chosen. Left to Quarkus REST, a Content-Type that is no media type failed POST .../chats with a
 * 500, and a missing, wildcard or repeated one was taken for JSON.
 */
public class JsonContentTypes {

    @ServerRequestFilter(preMatching = true)
    public void requireOneConcreteMediaType(ContainerRequestContext request) {
        if (!request.getMethod().equals("POST") && !request.getMethod().equals("PUT")) {
            return;
        }
        List<String> types = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        boolean declared = types == null ? !hasBody(request) : types.size() == 1 && isConcrete(types.get(0));
        List<String> encodings = request.getHeaders().get(HttpHeaders.CONTENT_ENCODING);
        boolean encoded = encodings != null && !encodings.stream().allMatch(encoding -> encoding.trim().equalsIgnoreCase("identity"));
        if (!declared || encoded) {
            throw new NotSupportedException();
        }
    }

    private static boolean hasBody(ContainerRequestContext request) {
        return request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
    }

    private static boolean isConcrete(String value) {
        if (value.indexOf(',') >= 0) {
            return false; // a list of media types
        }
        try {
            MediaType type = MediaType.valueOf(value.trim());
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
