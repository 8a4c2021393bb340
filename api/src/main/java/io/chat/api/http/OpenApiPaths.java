package io.chat.api.http;

import io.chat.api.identity.BearerAuthentication;

/** What the OpenAPI filters need to know of a documented path. */
public final class OpenApiPaths {

    private OpenApiPaths() {
    }

    /** A client path: a user token acts there (BearerAuthentication). */
    public static boolean isClientPath(String path) {
        return path.startsWith(BearerAuthentication.CLIENT_PATHS + "/");
    }

    /** Counted by the rate limiter: under an application's token, or with a user token. */
    public static boolean isLimited(String path) {
        return path.contains("{token}") || isClientPath(path);
    }
}
