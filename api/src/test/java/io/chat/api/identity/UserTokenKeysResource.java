package io.chat.api.identity;

import io.chat.common.identity.UserTokenKeys;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;

/**
 * User token keys for the tests, made at their start as bin/stack makes them (none is in the
 * repository), in target/user-token-keys: the signing key (current/), a key of an earlier rotation
 * (previous/) whose public key the API still accepts, as during a rotation, and a key it does not
 * know (other/), for the attacks. Every @QuarkusTest of the module gets them.
 */
public class UserTokenKeysResource implements QuarkusTestResourceLifecycleManager {

    public static final Path DIRECTORY = Path.of("target", "user-token-keys").toAbsolutePath();
    public static final Path CURRENT = DIRECTORY.resolve("current");
    public static final Path PREVIOUS = DIRECTORY.resolve("previous");
    public static final Path OTHER = DIRECTORY.resolve("other");
    /** The verification keys: the current one and the previous one, told apart by kid. */
    public static final Path VERIFY = DIRECTORY.resolve("verify.jwks");

    @Override
    public Map<String, String> start() {
        try {
            if (!Files.exists(VERIFY)) {
                for (Path pair : new Path[] {CURRENT, PREVIOUS, OTHER}) {
                    UserTokenKeys.write(pair, UserTokenKeys.generate());
                }
                Files.writeString(VERIFY, "{\"keys\":[" + publicKey(CURRENT) + "," + publicKey(PREVIOUS) + "]}");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("smallrye.jwt.sign.key.location", CURRENT.resolve(UserTokenKeys.SIGN_KEY).toString(),
                "mp.jwt.verify.publickey.location", VERIFY.toString());
    }

    @Override
    public void stop() {
    }

    /** The one public JWK of a pair's verify.jwks. */
    private static String publicKey(Path pair) throws IOException {
        String set = Files.readString(pair.resolve(UserTokenKeys.VERIFY_KEYS)).trim();
        return set.substring("{\"keys\":[".length(), set.length() - "]}".length());
    }
}
