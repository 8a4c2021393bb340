package io.chat.api.identity;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chat.common.identity.UserTokenKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The start-up check of the user token keys: it passes with a matching pair only. */
@QuarkusTest
class UserTokenKeysCheckTest {

    @Inject
    UserTokenKeysCheck check;

    @Inject
    JWTParser parser;

    @Test
    void shouldPassWithTheConfiguredKeys() {
        assertDoesNotThrow(() -> check.check(claims -> claims.sign(), parser::parse));
        // and with the pair's own verification keys, the control of the next test
        assertDoesNotThrow(() -> check.check(claims -> claims.sign(), token -> parser.parse(token, keys(UserTokenKeysResource.CURRENT))));
    }

    @Test
    void shouldStopTheStartWhenTheVerificationKeysAreOfAnotherPair() {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> check.check(claims -> claims.sign(), token -> parser.parse(token, keys(UserTokenKeysResource.OTHER))));
        assertTrue(refused.getMessage().contains("USER_TOKEN_VERIFY_KEYS"), refused.getMessage());
    }

    @Test
    void shouldStopTheStartWhenTheSigningKeyDoesNotLoad() {
        String missing = UserTokenKeysResource.DIRECTORY.resolve("missing").resolve(UserTokenKeys.SIGN_KEY).toString();
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> check.check(claims -> claims.sign(missing), parser::parse));
        assertTrue(refused.getMessage().contains("USER_TOKEN_SIGN_KEY"), refused.getMessage());
    }

    private static JWTAuthContextInfo keys(Path pair) {
        JWTAuthContextInfo keys = new JWTAuthContextInfo(pair.resolve(UserTokenKeys.VERIFY_KEYS).toString(), "chat");
        keys.setSignatureAlgorithm(Set.of(SignatureAlgorithm.ES256));
        return keys;
    }
}
