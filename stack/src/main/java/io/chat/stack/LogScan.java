package io.chat.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Looks through every log file of a stack run for credentials: any word shaped like an application
 * token whose SHA-256 is an application's in the stack's database (so every token the run created,
 * whatever line it hides in), anything shaped like a JWT, and any access_token value that is not
 * redacted. A finding names the file, the line and the kind, never the secret itself.
 *
 * <pre>java -cp 'stack/target/chat-stack.jar:stack/target/lib/*' io.chat.stack.LogScan LOG_DIR JDBC_URL</pre>
 * exits 1 when it finds anything (.ci/run, after the Postman collection); NoSecretInLogsIT calls it
 * after the end-to-end suites.
 */
public final class LogScan {

    private static final Pattern TOKEN_SHAPED = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("(?i)access_token=(?!<redacted>)[^&\\s\"]+");
    private static final int CHUNK = 500;

    /** What a scan read and found. */
    public record Result(int files, long lines, List<String> findings) {
    }

    private record Place(Path file, long line) {
    }

    private LogScan() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LogScan LOG_DIR JDBC_URL");
            System.exit(2);
        }
        Result result;
        try (Connection db = DriverManager.getConnection(args[1])) {
            result = scan(Path.of(args[0]), db);
        }
        System.out.printf("LogScan: %d files, %d lines, %d findings%n", result.files(), result.lines(), result.findings().size());
        result.findings().forEach(finding -> System.out.println("  " + finding));
        System.exit(result.findings().isEmpty() ? 0 : 1);
    }

    public static Result scan(Path directory, Connection db) throws IOException, SQLException {
        List<String> findings = new ArrayList<>();
        Map<String, Place> candidates = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        long lines = 0;
        for (Path file : files) {
            // Bytes as Latin-1: every byte a character, so no line is skipped for its encoding.
            List<String> content = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            for (int i = 0; i < content.size(); i++) {
                String line = content.get(i);
                Place place = new Place(file, i + 1);
                Matcher token = TOKEN_SHAPED.matcher(line);
                while (token.find()) {
                    candidates.putIfAbsent(token.group(), place);
                }
                if (JWT.matcher(line).find()) {
                    findings.add(place.file() + ":" + place.line() + ": a JWT");
                }
                if (ACCESS_TOKEN.matcher(line).find()) {
                    findings.add(place.file() + ":" + place.line() + ": an access_token value");
                }
            }
            lines += content.size();
        }
        for (String token : applicationTokens(db, candidates.keySet())) {
            Place place = candidates.get(token);
            findings.add(place.file() + ":" + place.line() + ": the token of an application of this run");
        }
        return new Result(files.size(), lines, findings);
    }

    /** The candidates that are tokens of applications in the database, which holds their SHA-256 only. */
    private static Set<String> applicationTokens(Connection db, Set<String> candidates) throws SQLException {
        Map<String, String> byHash = new HashMap<>();
        for (String candidate : candidates) {
            byHash.put(sha256Hex(candidate), candidate);
        }
        Set<String> tokens = new HashSet<>();
        List<String> hashes = new ArrayList<>(byHash.keySet());
        for (int from = 0; from < hashes.size(); from += CHUNK) {
            List<String> chunk = hashes.subList(from, Math.min(hashes.size(), from + CHUNK));
            String sql = "SELECT LOWER(HEX(token_hash)) FROM applications WHERE token_hash IN ("
                    + String.join(",", Collections.nCopies(chunk.size(), "UNHEX(?)")) + ")";
            try (PreparedStatement select = db.prepareStatement(sql)) {
                for (int i = 0; i < chunk.size(); i++) {
                    select.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        tokens.add(byHash.get(rows.getString(1)));
                    }
                }
            }
        }
        return tokens;
    }

    private static String sha256Hex(String text) {
        try {
            // Not common's Hashes: this module runs the search node, whose class path stays free of the apps' libraries.
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
