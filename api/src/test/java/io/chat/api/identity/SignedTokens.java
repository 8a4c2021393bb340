package io.chat.api.identity;

import io.chat.common.identity.UserTokenKeys;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwk.PublicJsonWebKey;

/** User tokens signed here, with any of the test keys and any claims: what an attacker or an old key would send. */
final class SignedTokens {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private SignedTokens() {
    }

    static String signed(Path keys, String publicId, String user, int generation, Instant expiresAt) throws Exception {
        return signed(keys, "chat", publicId, user, generation, Instant.now().minusSeconds(60), expiresAt);
    }

    static String signed(Path keys, String issuer, String publicId, String user, int generation, Instant issuedAt, Instant expiresAt)
            throws Exception {
        return signed(keys, Map.of("iss", issuer, "sub", user, "iat", issuedAt.getEpochSecond(), "exp", expiresAt.getEpochSecond(),
                UserTokens.APPLICATION_CLAIM, publicId, UserTokens.GENERATION_CLAIM, generation));
    }

    /** Exactly these claims, validly signed: for tokens that lack a claim or hold one of the wrong type. */
    static String signed(Path keys, Map<String, Object> claims) throws Exception {
        PublicJsonWebKey key = PublicJsonWebKey.Factory.newPublicJwk(Files.readString(keys.resolve(UserTokenKeys.SIGN_KEY)));
        return Jwt.claims(claims).jws().keyId(key.getKeyId()).algorithm(SignatureAlgorithm.ES256).sign(key.getPrivateKey());
    }

    /** Valid claims for {@code user} of {@code publicId}, for 10 minutes, at generation 0. */
    static Map<String, Object> claims(String publicId, String user) {
        long now = Instant.now().getEpochSecond();
        return new HashMap<>(Map.of("iss", "chat", "sub", user, "iat", now - 60, "exp", now + 600,
                UserTokens.APPLICATION_CLAIM, publicId, UserTokens.GENERATION_CLAIM, 0));
    }

    /** The key-confusion attack: HMAC-SHA256 keyed with what a verifier knows as public. */
    static String hmac(String publicId, byte[] key) {
        try {
            String signing = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + encode(json(claims(publicId, "u1")));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return signing + "." + BASE64URL.encodeToString(mac.doFinal(signing.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] jwks() {
        try {
            return Files.readAllBytes(UserTokenKeysResource.VERIFY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The current signing key's public half. */
    static PublicKey publicKey() {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(Files.readString(UserTokenKeysResource.CURRENT.resolve(UserTokenKeys.SIGN_KEY)))
                    .getPublicKey();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] pem(byte[] der) {
        return ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Another algorithm, with the kid of the real key: refused for its algorithm, whatever the key. */
    static String rs256(String publicId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String kid = PublicJsonWebKey.Factory.newPublicJwk(Files.readString(UserTokenKeysResource.CURRENT.resolve(UserTokenKeys.SIGN_KEY)))
                    .getKeyId();
            return Jwt.claims(SignedTokens.claims(publicId, "u1")).jws().keyId(kid).algorithm(SignatureAlgorithm.RS256)
                    .sign(generator.generateKeyPair().getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Map<String, Object> claims) {
        return claims.entrySet().stream()
                .map(claim -> "\"" + claim.getKey() + "\":" + (claim.getValue() instanceof String text ? "\"" + text + "\"" : claim.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }
}
