package io.chat.api.identity;

import io.chat.api.config.ApiConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * At start, the user token keys must work together: the replica signs a probe token with its
 * signing key and verifies it with its verification keys. A key that does not load, or keys of
 * different pairs, stop the start here, instead of every token minted being refused later.
 */
@ApplicationScoped
public class UserTokenKeysCheck {

    interface Signer {
        String sign(JwtClaimsBuilder claims);
    }

    interface Verifier {
        void verify(String token) throws ParseException;
    }

    private final JWTParser parser;
    private final String issuer;

    public UserTokenKeysCheck(JWTParser parser, ApiConfig config) {
        this.parser = parser;
        this.issuer = config.userTokens().issuer();
    }

    void onStart(@Observes StartupEvent event) {
        check(JwtClaimsBuilder::sign, parser::parse);
    }

    /** The messages name the settings, never a key; the causes say what failed. */
    void check(Signer signer, Verifier verifier) {
        String probe;
        try {
            probe = signer.sign(Jwt.issuer(issuer).subject("startup-probe").expiresIn(60));
        } catch (RuntimeException e) {
            throw new IllegalStateException("the user token signing key (USER_TOKEN_SIGN_KEY) does not load", e);
        }
        try {
            verifier.verify(probe);
        } catch (ParseException e) {
            throw new IllegalStateException("the user token verification keys (USER_TOKEN_VERIFY_KEYS) do not load,"
                    + " or do not hold the public key of USER_TOKEN_SIGN_KEY", e);
        }
    }
}
