package io.chat.stack;

import static io.chat.stack.Client.createApplication;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What NGINX answers itself, at the edges of HTTP: always problem+json, with Allow on a 405; and
 * what it writes to its logs: never a token.
 */
@Order(2)
class NginxEdgesIT {

    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ");

    private static String token;

    @BeforeAll
    static void up() throws Exception {
        Stack.up(3);
        token = createApplication();
        Client.createChats(token, 1);
    }

    @AfterAll
    static void down() throws Exception {
        Stack.down();
    }

    /** A request line and headers sent as they are, which no HTTP client would send. */
    record Raw(String description, String requestLine, List<String> headers, int status) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Raw> malformed() {
        String chat = "/applications/{token}/chats/1";
        return Stream.of(
                new Raw("a malformed escape in the path", "GET /applications/%zz HTTP/1.1", List.of(), 400),
                new Raw("an encoded NUL in the path", "GET /applications/%00 HTTP/1.1", List.of(), 400),
                new Raw("an encoded NUL after a chat number", "GET " + chat + "%00 HTTP/1.1", List.of(), 400),
                new Raw("a malformed escape in the query", "GET " + chat + "/messages?cursor=%%%garbage HTTP/1.1", List.of(), 400),
                new Raw("a lone % in q", "GET " + chat + "/messages/search?q=% HTTP/1.1", List.of(), 400),
                new Raw("a half escape in q", "GET " + chat + "/messages/search?q=%E HTTP/1.1", List.of(), 400),
                new Raw("a control character in a header", "GET " + chat + " HTTP/1.1", List.of("X-Note: a\u0001b"), 400),
                new Raw("DEL in the Idempotency-Key", "POST /applications/{token}/chats HTTP/1.1",
                        List.of("Idempotency-Key: a\u007Fb", "Content-Length: 0"), 400),
                new Raw("a header over 8 KiB", "GET " + chat + " HTTP/1.1", List.of("X-Padding: " + "a".repeat(9_000)), 400),
                new Raw("a request line over 8 KiB", "GET /applications/" + "a".repeat(9_000) + " HTTP/1.1", List.of(), 414),
                new Raw("a request line between 4 and 8 KiB (the API's own 404)", "GET /applications/" + "a".repeat(5_000) + " HTTP/1.1",
                        List.of(), 404),
                new Raw("TRACE", "TRACE " + chat + " HTTP/1.1", List.of(), 405),
                new Raw("TRACE of nothing", "TRACE /nothing/here HTTP/1.1", List.of(), 404));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void shouldAnswerAMalformedRequestWithAProblem(Raw request) throws Exception {
        long chats = lastChatNumber();

        Answer answer = send(request.requestLine().replace("{token}", token), request.headers());

        assertEquals(request.status(), answer.status(), answer.toString());
        assertEquals("application/problem+json", answer.header("Content-Type"), answer.toString());
        assertTrue(answer.body().contains("\"status\":" + request.status()), answer.toString());
        assertTrue(answer.body().startsWith("{\"type\":\"https://chat.example/problems/"), answer.toString());
        assertEquals(chats, lastChatNumber(), "a refused request created a chat");
    }

    /** NGINX answers TRACE itself (it never passes it on): with the same Allow as the API's OPTIONS, path by path. */
    @Test
    void shouldAllowAtNginxTheMethodsTheApiAllows() throws Exception {
        String document = Client.HTTP.send(HttpRequest.newBuilder(URI.create(Stack.frontDoor() + "/q/openapi")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        List<String> paths = new ArrayList<>();
        Matcher path = Pattern.compile("(?m)^  (/[^:]*):$").matcher(document);
        while (path.find()) {
            paths.add(path.group(1));
        }
        paths.addAll(List.of("/applications/{token}/", "/q/health/ready", "/q/metrics"));
        assertTrue(paths.size() >= 7, paths.toString());

        assertAll(paths.stream().map(template -> () -> {
            String concrete = template.replace("{token}", token).replace("{number}", "1").replace("{message}", "1")
                    .replace("{user}", "u1");
            Answer options = send("OPTIONS " + concrete + " HTTP/1.1", List.of());
            Answer trace = send("TRACE " + concrete + " HTTP/1.1", List.of());
            assertEquals(204, options.status(), template + ": " + options);
            assertEquals(405, trace.status(), template + ": " + trace);
            assertEquals(options.header("Allow"), trace.header("Allow"), template);
        }));
    }

    @Test
    void shouldKeepTokensOutOfNginxLogs() throws Exception {
        String secret = createApplication();
        String jwt = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1MSJ9.x";
        Client.post(Stack.frontDoor() + "/applications/" + secret + "/chats", null, null);
        // NGINX logs this one as an error ("client intended to send too large body"), with its request line.
        send("POST /applications/" + secret + "/chats/1/messages HTTP/1.1", List.of("Content-Length: 2000000"));
        // (On a path that answers at once: /events would stream and never end.)
        send("GET /applications/" + secret + "/chats/1/messages?access_token=" + jwt + " HTTP/1.1", List.of());
        // A token where none belongs, twice, and a JWT outside an access_token: each occurrence is redacted.
        send("GET /chats/" + secret + "/messages?q=" + secret + "&t=" + jwt + " HTTP/1.1", List.of());
        send("POST /chats/" + secret + "/messages?t=" + jwt + " HTTP/1.1", List.of("Content-Length: 2000000"));

        String access = Files.readString(Stack.DIR.resolve("logs/nginx-access.log"));
        String errors = Files.readString(Stack.DIR.resolve("logs/nginx.log"));
        assertFalse(access.contains(secret), "the access log holds a token");
        assertFalse(errors.contains(secret), "the error log holds a token");
        assertFalse(access.contains("eyJ"), "the access log holds a JWT");
        assertFalse(errors.contains("eyJ"), "the error log holds a JWT");
        assertTrue(access.contains("\"POST /applications/<token>/chats HTTP/1.1\" 201"), "requests are still logged, without the token");
        assertTrue(access.contains("/chats/1/messages?access_token=<redacted> HTTP/1.1"), "the access_token is logged redacted");
        assertTrue(access.contains("\"GET /chats/<token>/messages?q=<token>&t=<jwt> HTTP/1.1\""), "every occurrence is redacted");
        assertTrue(errors.contains("POST /applications/<token>/chats/1/messages"), "the error is still logged, without the token");
        assertTrue(errors.contains("POST /chats/<token>/messages?t=<jwt>"), "the error is still logged, without the token");
    }

    /** bin/stack up starts a local service that is installed but stopped, as it would on a fresh machine. */
    @Test
    void shouldStartAStoppedLocalServiceWhenTheStackComesUp() throws Exception {
        Stack.services("stop", "redis");
        try {
            Stack.up(3);
            Process ping = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "ping").redirectErrorStream(true).start();
            assertEquals("PONG", new String(ping.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
        } finally {
            Stack.services("start", "redis");
        }
    }

    private static long lastChatNumber() throws SQLException {
        return Client.queryLong(Client.database(), "SELECT last_chat_number FROM applications WHERE token_hash = UNHEX(SHA2(?, 256))", token);
    }

    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static Answer send(String requestLine, List<String> headers) throws IOException {
        StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        headers.forEach(header -> request.append(header).append("\r\n"));
        request.append("\r\n");
        try (Socket socket = new Socket("127.0.0.1", Stack.PORT)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static Answer parse(String response) {
        int end = response.indexOf("\r\n\r\n");
        String head = end < 0 ? response : response.substring(0, end);
        Matcher status = STATUS.matcher(head);
        assertTrue(status.find(), response);
        Map<String, String> headers = new HashMap<>();
        head.lines().skip(1).forEach(line -> {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        });
        return new Answer(Integer.parseInt(status.group(1)), headers, end < 0 ? "" : response.substring(end + 4));
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
