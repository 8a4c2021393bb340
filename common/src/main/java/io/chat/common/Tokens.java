package io.chat.common;

/**
 * Application tokens are stored and looked up only as their SHA-256. A lookup's timing then depends
 * on the hash, which a client cannot steer byte by byte, so it tells nothing about stored tokens;
 * and a copy of the database does not hold a single usable token.
 */
public final class Tokens {

    private Tokens() {
    }

    public static byte[] hash(String token) {
        return Hashes.sha256(token);
    }

    /** The hash in hex, where a token's identity must go into a key (Redis). */
    public static String hashHex(String token) {
        return Hashes.sha256Hex(token);
    }
}
