package io.chat.common.identity;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A key pair for user tokens (ES256, P-256) as the API reads it: {@code sign.jwk}, the private key
 * (only where tokens are minted, readable by its owner only), and {@code verify.jwks}, a JWK set of
 * public keys (several during a rotation, told apart by kid). bin/stack and docker-compose make one
 * when none is configured, so that a fresh start works; nothing of it is in the code.
 *
 * <pre>java -cp chat-common.jar io.chat.common.identity.UserTokenKeys DIRECTORY</pre>
 * writes both files into DIRECTORY unless sign.jwk is there already.
 */
public final class UserTokenKeys {

    public static final String SIGN_KEY = "sign.jwk";
    public static final String VERIFY_KEYS = "verify.jwks";

    private UserTokenKeys() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: UserTokenKeys DIRECTORY");
            System.exit(2);
        }
        Path directory = Path.of(args[0]);
        Optional<String> kid = Files.exists(directory.resolve(SIGN_KEY)) ? Optional.empty() : write(directory, generate());
        System.out.println(kid.map(made -> "user token keys: made " + directory.resolve(SIGN_KEY) + " and "
                + directory.resolve(VERIFY_KEYS) + " (kid " + made + ")")
                .orElse("user token keys: " + directory.resolve(SIGN_KEY) + " exists, kept"));
    }

    public static KeyPair generate() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return generator.generateKeyPair();
    }

    /**
     * Writes the pair and returns its kid, unless a signing key is there already (empty then, and
     * nothing written): of two makers at once, one wins, and the verification keys are the winner's.
     * The signing key appears whole or not at all, and is never replaced.
     */
    public static Optional<String> write(Path directory, KeyPair pair) throws IOException {
        Files.createDirectories(directory);
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        String kid = HexFormat.of().formatHex(id);
        Path partial = Files.createTempFile(directory, SIGN_KEY, ".partial");
        try {
            restrictToOwner(partial);
            Files.writeString(partial, privateJwk(pair, kid) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.createLink(directory.resolve(SIGN_KEY), partial); // link(2): fails if the name exists
            } catch (UnsupportedOperationException e) {
                Files.move(partial, directory.resolve(SIGN_KEY)); // no REPLACE_EXISTING: fails if it exists
            }
        } catch (FileAlreadyExistsException e) {
            return Optional.empty();
        } finally {
            Files.deleteIfExists(partial);
        }
        Path keys = Files.createTempFile(directory, VERIFY_KEYS, ".partial");
        Files.writeString(keys, "{\"keys\":[" + publicJwk(pair, kid) + "]}\n", StandardCharsets.US_ASCII);
        Files.move(keys, directory.resolve(VERIFY_KEYS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return Optional.of(kid);
    }

    public static String publicJwk(KeyPair pair, String kid) {
        ECPublicKey key = (ECPublicKey) pair.getPublic();
        return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"use\":\"sig\",\"kid\":\"" + kid + "\",\"x\":\""
                + coordinate(key.getW().getAffineX()) + "\",\"y\":\"" + coordinate(key.getW().getAffineY()) + "\"}";
    }

    public static String privateJwk(KeyPair pair, String kid) {
        String jwk = publicJwk(pair, kid);
        return jwk.substring(0, jwk.length() - 1) + ",\"d\":\"" + coordinate(((ECPrivateKey) pair.getPrivate()).getS()) + "\"}";
    }

    /** A P-256 field element as JWK wants it: 32 bytes, big-endian, base64url without padding. */
    private static String coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(fixed);
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own defaults apply
        }
    }

}
