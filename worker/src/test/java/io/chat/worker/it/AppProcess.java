package io.chat.worker.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A packaged app (API or worker) started as its own JVM, as in production, and killable with SIGKILL. */
final class AppProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String name;
    private final Path jar;
    private final Map<String, String> environment;
    private final int port;
    private Process process;

    AppProcess(String name, Path jar, Map<String, String> environment) throws IOException {
        this.name = name;
        this.jar = jar;
        this.environment = environment;
        this.port = freePort();
    }

    AppProcess start() throws IOException {
        Path logs = Path.of("target", "it-logs");
        Files.createDirectories(logs);
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("HTTP_PORT", Integer.toString(port));
        process = builder.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(this::isReady);
        return this;
    }

    /** SIGKILL: no shutdown hook, no last ack, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    private boolean isReady() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see target/it-logs");
        }
        try {
            return HTTP.send(HttpRequest.newBuilder(uri("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
