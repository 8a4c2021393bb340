package io.chat.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document, as the stack serves it through NGINX, says exactly what the API does: it
 * passes Redocly's lint, and the contract tests Portman generates from it (every operation's status,
 * content type, JSON schema and required headers, plus error variations) pass against the stack.
 * The tools come from tools/package.json (bin/test installs them).
 */
@Order(3)
class ContractIT {

    private static final Path TOOLS = Path.of(System.getProperty("tools.dir", "../tools")).toAbsolutePath();
    private static final Path DOCUMENT = Path.of("target", "openapi.json").toAbsolutePath();
    private static final Pattern ASSERTIONS = Pattern.compile("assertions\\s*│\\s*(\\d+)\\s*│\\s*(\\d+)");

    @BeforeAll
    static void up() throws Exception {
        assertTrue(Files.isExecutable(TOOLS.resolve("node_modules/.bin/portman")),
                "the test tools are not installed: run bin/test, or npm ci --prefix tools");
        Stack.up(3);
        HttpResponse<Path> document = Client.HTTP.send(HttpRequest.newBuilder(URI.create(Stack.frontDoor() + "/q/openapi?format=json"))
                .build(), HttpResponse.BodyHandlers.ofFile(DOCUMENT));
        assertEquals(200, document.statusCode());
    }

    @AfterAll
    static void down() throws Exception {
        Stack.down();
    }

    @Test
    void shouldServeAnOpenApiDocumentThatPassesTheLint() throws Exception {
        Run lint = run("redocly", "lint", DOCUMENT.toString(), "--config", TOOLS.resolve("redocly.yaml").toString());

        assertEquals(0, lint.exit(), lint.output());
        assertTrue(lint.output().contains("Your API description is valid"), lint.output());
    }

    @Test
    void shouldPassTheContractTestsGeneratedFromTheDocument() throws Exception {
        // A pause between requests gives the worker time to persist a message before it is read back.
        // The filter leaves out the event streams, which never end for newman to check them
        // (EventStreamTest and EventsIT test them with a client that reads a stream).
        Run contract = run("portman", "-l", DOCUMENT.toString(), "-c", TOOLS.resolve("portman-config.json").toString(),
                "--filterFile", TOOLS.resolve("portman-filter.json").toString(),
                "-b", Stack.frontDoor(), "-o", Path.of("target", "portman-collection.json").toAbsolutePath().toString(),
                "-n", "--newmanRunOptions", "{\"delayRequest\": 300}");

        Matcher assertions = ASSERTIONS.matcher(contract.output());
        assertTrue(assertions.find(), contract.output());
        assertEquals(0, contract.exit(), contract.output());
        assertEquals("0", assertions.group(2), "failed assertions");
        // Every operation and variation ran its checks: not a run that tested nothing.
        assertTrue(Integer.parseInt(assertions.group(1)) >= 100, "only " + assertions.group(1) + " assertions");
    }

    private record Run(int exit, String output) {
    }

    private static Run run(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(TOOLS.resolve("node_modules/.bin/" + tool).toString()));
        command.addAll(List.of(args));
        Path log = Path.of("target", tool + ".log").toAbsolutePath();
        // In target/: Portman leaves its working files in the current directory.
        Process process = new ProcessBuilder(command).directory(Path.of("target").toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
        return new Run(process.exitValue(), Files.readString(log));
    }
}
