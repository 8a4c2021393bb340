package io.chat.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * After every end-to-end suite (FrontDoorIT, ContractIT, FaultsIT: hundreds of applications, every
 * fault, replicas killed mid-request), no log file of their stack holds a credential: not NGINX's
 * access or error log, not an API replica's, the worker's or the search node's.
 */
@Order(Integer.MAX_VALUE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoSecretInLogsIT {

    @Test
    @Order(1)
    void shouldFindATokenOfThisRunWhereverALogLineHoldsIt(@TempDir Path logs) throws Exception {
        // An application as the API stores it: only the hash of its token.
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.writeString(logs.resolve("planted.log"), "ok\nsomething about x" + token + " no\nsaw [" + token + "]\n");

        try (Connection db = Client.database().getConnection();
                PreparedStatement insert = db.prepareStatement("INSERT INTO applications (token_hash, public_id, name, created_at, updated_at)"
                        + " VALUES (UNHEX(SHA2(?, 256)), CONCAT('app_', HEX(RANDOM_BYTES(11))), 'planted', NOW(3), NOW(3))")) {
            insert.setString(1, token);
            insert.executeUpdate();
            LogScan.Result result = LogScan.scan(logs, db);
            assertEquals(1, result.findings().size(), result.findings().toString());
            assertTrue(result.findings().get(0).endsWith("planted.log:3: the token of an application of this run"),
                    result.findings().toString());
        }
    }

    @Test
    @Order(2)
    void shouldFindNoCredentialInAnyLogOfTheStack() throws Exception {
        Path logs = Stack.DIR.resolve("logs");
        try (Connection db = Client.database().getConnection()) {
            LogScan.Result result = LogScan.scan(logs, db);
            assertTrue(result.files() >= 6, "expected the logs of NGINX, the replicas, the worker and the search node: " + result);
            assertTrue(result.lines() > 1_000, "the suites before this one left too little to scan: " + result);
            assertEquals(List.of(), result.findings());
        }
    }
}
