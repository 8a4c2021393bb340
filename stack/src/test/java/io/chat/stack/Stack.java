package io.chat.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * bin/stack, driven as a user drives it, on ports and a database of its own so that it never meets
 * a stack someone runs by hand on this machine.
 */
final class Stack {

    static final String DATABASE = "chat_e2e";
    static final int PORT = 18080;
    static final int FIRST_API_PORT = 18081;
    static final Path DIR = Path.of("target", "it-stack").toAbsolutePath();

    private static final Map<String, String> ENVIRONMENT = Map.of(
            "STACK_DIR", DIR.toString(),
            "STACK_PORT", Integer.toString(PORT),
            "STACK_API_PORT", Integer.toString(FIRST_API_PORT),
            "STACK_WORKER_PORT", "18090",
            "STACK_SEARCH_PORT", "19200",
            "DB_NAME", DATABASE,
            "RABBITMQ_QUEUE", "chat.message-operations.e2e",
            // Hundreds of messages a second on one application: the rate limit (RateLimitTest) is off.
            "RATE_LIMIT_REQUESTS", "0",
            // A replica killed mid-request holds its idempotency key this long, not a minute.
            "CHAT_IDEMPOTENCY_IN_FLIGHT_TIMEOUT", "5S");

    private Stack() {
    }

    static void up(int replicas) throws IOException, InterruptedException {
        run("up", "--replicas", Integer.toString(replicas));
    }

    static void down() throws IOException, InterruptedException {
        run("down");
    }

    /** SIGKILL to an API replica: no shutdown, connections reset mid-request. */
    static void kill(int replica) throws Exception {
        long pid = Long.parseLong(Files.readString(DIR.resolve("run/api-" + replica + ".pid")).trim());
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(10, TimeUnit.SECONDS);
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
        Path log = Path.of("target", "it-stack.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(ENVIRONMENT);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
        assertEquals(0, process.exitValue(), "bin/stack " + String.join(" ", args) + " failed, see " + log);
    }
}
