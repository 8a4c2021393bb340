package io.chat.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The web client (web/) in a real browser, two users on one chat through NGINX, each page on an API
 * replica of its own: src/test/browser/chat.test.mjs, run with Node's test runner and playwright-core
 * on Debian's Chromium. That script holds the assertions; this class brings the stack up for it and
 * fails with its report.
 */
@Order(7)
class WebClientIT {

    private static final Pattern LINK = Pattern.compile("(\\w+): (http://[0-9.:]+)/#token=([\\w.-]+)&chat=(\\d+)");
    private static final Path REPORT = Path.of("target", "browser-test.log");

    @BeforeAll
    static void up() throws Exception {
        Stack.up(3);
    }

    @AfterAll
    static void down() throws Exception {
        Stack.down();
    }

    @Test
    void shouldPrintTwoLinksThatEachActForItsUserWithBinDemo() throws Exception {
        ProcessBuilder demo = new ProcessBuilder("../bin/demo", "ann", "ben").redirectErrorStream(true);
        demo.environment().put("CHAT_URL", Stack.frontDoor());
        Process process = demo.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
        Matcher links = LINK.matcher(output);
        List<String> users = new ArrayList<>();
        while (links.find()) {
            users.add(links.group(1));
            HttpResponse<String> chat = Client.HTTP.send(HttpRequest.newBuilder(URI.create(Stack.frontDoor() + "/chats/" + links.group(4)))
                    .header("Authorization", "Bearer " + links.group(3)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, chat.statusCode(), chat.body());
            assertEquals(Stack.frontDoor(), links.group(2), output);
        }
        assertEquals(List.of("ann", "ben"), users, output);
        // The application's token (22 URL-safe characters) is never printed: only the users' JWTs.
        assertFalse(Pattern.compile("[A-Za-z0-9_-]{22,}").matcher(LINK.matcher(output).replaceAll("")).find(), output);
    }

    @Test
    void shouldLetTwoUsersChatLiveInTwoBrowserPagesThroughAReplicaKill() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", "--test", "--test-reporter=spec", "src/test/browser/chat.test.mjs")
                .redirectErrorStream(true)
                .redirectOutput(REPORT.toFile());
        builder.environment().put("CHAT_URL", Stack.frontDoor());
        builder.environment().put("REPLICAS", IntStream.rangeClosed(1, 3).mapToObj(Stack::replica).collect(Collectors.joining(",")));
        builder.environment().put("STACK_RUN", Stack.DIR.resolve("run").toString());
        builder.environment().put("SCREENSHOTS", Path.of("target", "screenshots").toAbsolutePath().toString());
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
        List<String> report = Files.readAllLines(REPORT);
        report.forEach(System.out::println);
        assertEquals(0, process.exitValue(), "the browser tests failed:\n" + String.join("\n", report));
    }
}
