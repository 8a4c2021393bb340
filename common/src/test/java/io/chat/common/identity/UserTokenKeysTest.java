package io.chat.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Making user token keys: one pair wins, the signing key is never replaced, and only its owner reads it. */
class UserTokenKeysTest {

    private static final Pattern KID = Pattern.compile("\"kid\":\"([0-9a-f]{16})\"");

    @TempDir
    Path directory;

    @Test
    void shouldNeverReplaceASigningKeyAndKeepOnlyTheOwnerReadingIt() throws Exception {
        Optional<String> made = UserTokenKeys.write(directory, UserTokenKeys.generate());
        String key = Files.readString(directory.resolve(UserTokenKeys.SIGN_KEY));
        String keys = Files.readString(directory.resolve(UserTokenKeys.VERIFY_KEYS));

        assertEquals(Optional.empty(), UserTokenKeys.write(directory, UserTokenKeys.generate()));

        assertEquals(key, Files.readString(directory.resolve(UserTokenKeys.SIGN_KEY)));
        assertEquals(keys, Files.readString(directory.resolve(UserTokenKeys.VERIFY_KEYS)));
        assertEquals(made.orElseThrow(), kid(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(UserTokenKeys.SIGN_KEY))));
        try (var left = Files.list(directory)) {
            assertEquals(2, left.count(), "no partial file left behind");
        }
    }

    @Test
    void shouldLeaveOnePairOfTheSameKidWhenManyMakeKeysAtOnce() throws Exception {
        int makers = 8;
        CountDownLatch ready = new CountDownLatch(makers);
        ExecutorService pool = Executors.newFixedThreadPool(makers);
        try {
            List<Future<Optional<String>>> results = new ArrayList<>();
            for (int i = 0; i < makers; i++) {
                Callable<Optional<String>> maker = () -> {
                    var pair = UserTokenKeys.generate();
                    ready.countDown();
                    ready.await();
                    return UserTokenKeys.write(directory, pair);
                };
                results.add(pool.submit(maker));
            }
            List<String> winners = new ArrayList<>();
            for (Future<Optional<String>> result : results) {
                result.get(30, TimeUnit.SECONDS).ifPresent(winners::add);
            }
            assertEquals(1, winners.size(), "winners: " + winners);
            assertEquals(winners.get(0), kid(Files.readString(directory.resolve(UserTokenKeys.SIGN_KEY))));
            assertEquals(winners.get(0), kid(Files.readString(directory.resolve(UserTokenKeys.VERIFY_KEYS))));
        } finally {
            pool.shutdownNow();
        }
    }

    private static String kid(String jwk) {
        Matcher kid = KID.matcher(jwk);
        assertTrue(kid.find(), jwk);
        return kid.group(1);
    }
}
