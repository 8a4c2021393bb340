package io.chat.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Application tokens are stored and looked up only as their SHA-256. A lookup's timing then depends
 * on the hash, which a client cannot steer byte by byte, so it tells nothing about stored tokens;
 * and a copy of the database does not hold a single usable token.
 */
public final class Tokens {

    private Tokens() {
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
