package io.chat.api.error;

import io.restassured.path.json.JsonPath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 written byte by byte on a socket, for the requests HTTP clients refuse to send: two
 * Content-Type headers or none, a malformed query string, a chunked body of a chosen size.
 */
final class RawHttp {

    record Answer(int status, List<String> headers, String body) {

        /** The first value of a header, or null. */
        String header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream()
                    .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(line -> line.substring(prefix.length()).trim())
                    .findFirst().orElse(null);
        }

        JsonPath json() {
            return JsonPath.from(body);
        }
    }

    private final String host;
    private final int port;

    RawHttp(URI server) {
        this.host = server.getHost();
        this.port = server.getPort();
    }

    /**
     * Sends {@code body} with a Content-Length, or no body at all when it is null. Header lines go out
     * as ISO-8859-1, one byte per character, so a test can put any byte in them.
     */
    Answer send(String method, String target, List<String> headers, byte[] body) throws IOException {
        List<String> lines = new ArrayList<>(headers);
        if (body != null) {
            lines.add("Content-Length: " + body.length);
        }
        return exchange(method, target, lines, body == null ? new byte[0] : body);
    }

    /** Sends {@code body} chunked, in chunks of 64 KiB: no Content-Length announces its size. */
    Answer sendChunked(String method, String target, List<String> headers, byte[] body) throws IOException {
        List<String> lines = new ArrayList<>(headers);
        lines.add("Transfer-Encoding: chunked");
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        for (int offset = 0; offset < body.length; offset += 65_536) {
            int length = Math.min(65_536, body.length - offset);
            chunked.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.write(body, offset, length);
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return exchange(method, target, lines, chunked.toByteArray());
    }

    private Answer exchange(String method, String target, List<String> headers, byte[] payload) throws IOException {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n")
                .append("Host: ").append(host).append(':').append(port).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach(line -> head.append(line).append("\r\n"));
        head.append("\r\n");
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(payload);
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            // Read while writing: a server that refuses a body answers and closes before it is all sent.
            CompletableFuture<byte[]> answer = CompletableFuture.supplyAsync(() -> readAll(in), task -> new Thread(task).start());
            OutputStream out = socket.getOutputStream();
            try {
                request.writeTo(out);
                out.flush();
            } catch (IOException refused) {
                // the server stopped reading; its answer is what matters
            }
            return parse(answer.join());
        }
    }

    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int read; (read = in.read(buffer)) != -1; ) {
                bytes.write(buffer, 0, read);
            }
        } catch (IOException reset) {
            // a connection reset after the answer: keep what arrived
        }
        return bytes.toByteArray();
    }

    private static Answer parse(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no complete HTTP answer: " + text);
        }
        List<String> lines = Arrays.asList(text.substring(0, end).split("\r\n"));
        int status = Integer.parseInt(lines.get(0).split(" ")[1]);
        List<String> headers = lines.subList(1, lines.size());
        byte[] body = Arrays.copyOfRange(response, end + 4, response.length);
        Answer raw = new Answer(status, headers, "");
        if ("chunked".equalsIgnoreCase(raw.header("Transfer-Encoding"))) {
            body = dechunk(body);
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int position = 0;
        while (true) {
            int lineEnd = text.indexOf("\r\n", position);
            int size = Integer.parseInt(text.substring(position, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
