package io.chat.stack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * bin/stack, driven as a user drives it, on ports and a database of its own so that it never meets
 * a stack someone runs by hand on this machine.
 */
final class Stack {

    static final String DATABASE = "chat_e2e";
    static final int PORT = 18080;
    static final int FIRST_API_PORT = 18081;
    static final int WORKER_PORT = 18090;
    static final int SEARCH_PORT = 19200;
    static final int PROMETHEUS_PORT = 19090;
    static final Path DIR = Path.of("target", "it-stack").toAbsolutePath();

    private static final Map<String, String> ENVIRONMENT = Map.of(
            "STACK_DIR", DIR.toString(),
            "STACK_PORT", Integer.toString(PORT),
            "STACK_API_PORT", Integer.toString(FIRST_API_PORT),
            "STACK_WORKER_PORT", Integer.toString(WORKER_PORT),
            "STACK_SEARCH_PORT", Integer.toString(SEARCH_PORT),
            "STACK_PROMETHEUS_PORT", Integer.toString(PROMETHEUS_PORT),
            "DB_NAME", DATABASE,
            "RABBITMQ_QUEUE", "chat.message-operations.e2e",
            // Hundreds of messages a second on one application: a limit that counts every request (in
            // Redis, through every fault) but is never reached; RateLimitTest tests reaching it.
            "RATE_LIMIT_REQUESTS", "1000000",
            // A replica killed mid-request holds its idempotency key this long, not a minute.
            "CHAT_IDEMPOTENCY_IN_FLIGHT_TIMEOUT", "5s");

    private Stack() {
    }

    /** Whether this run (this JVM) has started the stack yet. */
    private static boolean started;

    /**
     * Starts what is not running. The first start of a run begins with empty logs, so that they hold
     * this run only (NoSecretInLogsIT reads them all at the end).
     */
    static synchronized void up(int replicas) throws IOException, InterruptedException {
        up(replicas, false);
    }

    /** With Prometheus too (bin/stack up --metrics), on {@link #PROMETHEUS_PORT}. */
    static synchronized void upWithMetrics(int replicas) throws IOException, InterruptedException {
        up(replicas, true);
    }

    /** With settings of the apps' own on top of the stack's (a broker cluster's addresses, say). */
    static synchronized void up(int replicas, Map<String, String> environment) throws IOException, InterruptedException {
        up(replicas, false, environment);
    }

    private static void up(int replicas, boolean metrics) throws IOException, InterruptedException {
        up(replicas, metrics, Map.of());
    }

    private static void up(int replicas, boolean metrics, Map<String, String> environment) throws IOException, InterruptedException {
        if (!started) {
            run("down");
            deleteRecursively(DIR.resolve("logs"));
            started = true;
        }
        List<String> args = new ArrayList<>(List.of("up", "--replicas", Integer.toString(replicas)));
        if (metrics) {
            args.add("--metrics");
        }
        List<String> command = new ArrayList<>(List.of(System.getProperty("stack.command", "../bin/stack")));
        command.addAll(args);
        run(command, environment);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static void down() throws IOException, InterruptedException {
        run("down");
    }

    /** SIGKILL to a component (api-1, worker, search…): no shutdown, connections reset mid-request. */
    static void kill(String component) throws Exception {
        ProcessHandle process = ProcessHandle.of(pid(component)).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(10, TimeUnit.SECONDS);
    }

    static long pid(String component) throws IOException {
        return Long.parseLong(Files.readString(DIR.resolve("run/" + component + ".pid")).trim());
    }

    /** Starts or stops a local service (mariadb, redis, rabbitmq) the way bin/stack and CI do: bin/services. */
    static void services(String action, String service) throws IOException, InterruptedException {
        run(List.of(System.getProperty("services.command", "../bin/services"), action, service));
    }

    /** Runs a script of bin/ (bin/rabbitmq-cluster, say) and gives its output; fails with it if the script does. */
    static String script(String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("../bin/" + name));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(4, TimeUnit.MINUTES), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    /** The health URLs of the three replicas and the worker. */
    static List<String> apps() {
        return List.of(replica(1), replica(2), replica(3), "http://127.0.0.1:" + WORKER_PORT);
    }

    /** Every replica and the worker are ready (again), without a restart, within {@code within}. */
    static void awaitEveryAppReady(Duration within) {
        for (String url : apps()) {
            await().atMost(within).until(() -> Client.get(url + "/q/health/ready").statusCode() == 200);
        }
    }

    static String replica(int replica) {
        return "http://127.0.0.1:" + (FIRST_API_PORT + replica - 1);
    }

    static String frontDoor() {
        return "http://127.0.0.1:" + PORT;
    }

    private static void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("stack.command", "../bin/stack")));
        command.addAll(List.of(args));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        run(command, Map.of());
    }

    private static void run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        Path log = Path.of("target", "it-stack.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(ENVIRONMENT);
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed, see " + log);
    }
}
