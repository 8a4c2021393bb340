package io.chat.api.identity;

import io.chat.common.identity.UserTokenKeys;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.jose4j.jwk.PublicJsonWebKey;

/** User tokens signed here, with any of the test keys and any claims: what an attacker or an old key would send. */
final class SignedTokens {

    private SignedTokens() {
    }

    static String signed(Path keys, String publicId, String user, int generation, Instant expiresAt) throws Exception {
        return signed(keys, "chat", publicId, user, generation, Instant.now().minusSeconds(60), expiresAt);
    }

    static String signed(Path keys, String issuer, String publicId, String user, int generation, Instant issuedAt, Instant expiresAt)
            throws Exception {
        PublicJsonWebKey key = PublicJsonWebKey.Factory.newPublicJwk(Files.readString(keys.resolve(UserTokenKeys.SIGN_KEY)));
        return Jwt.issuer(issuer).subject(user).issuedAt(issuedAt).expiresAt(expiresAt)
                .claim(UserTokens.APPLICATION_CLAIM, publicId).claim(UserTokens.GENERATION_CLAIM, generation)
                .jws().keyId(key.getKeyId()).algorithm(SignatureAlgorithm.ES256)
                .sign(key.getPrivateKey());
    }
}
