package io.chat.api.application.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.Base64;

/** 128 bits from a CSPRNG, base64url without padding: 22 characters of [A-Za-z0-9_-]. */
@ApplicationScoped
public class TokenGenerator {

    public static final String PATTERN = "[A-Za-z0-9_-]{22}";

    private static final int BYTES = 16;

    private final SecureRandom random = new SecureRandom();
    private final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

    public String next() {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return encoder.encodeToString(bytes);
    }

    /** An application's public id, for its users' tokens: app_ and 128 random bits, so that it never reads as a token. */
    public String nextPublicId() {
        return "app_" + next();
    }
}
