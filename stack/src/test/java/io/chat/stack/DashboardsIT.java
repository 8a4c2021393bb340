package io.chat.stack;

import static io.chat.stack.Client.messageJson;
import static io.chat.stack.Client.messagesOf;
import static io.chat.stack.Client.post;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The dashboards and alerts (monitoring/) against a real Prometheus (Debian's, through bin/stack up
 * --metrics) scraping a real stack under load: promtool accepts the configuration and the rules,
 * the rules' own tests pass, every target is up, every rule evaluates, and every query of the
 * Grafana dashboard returns a number.
 */
@Order(8)
class DashboardsIT {

    private static final Path MONITORING = Path.of("..", "monitoring");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS = "http://127.0.0.1:" + Stack.PROMETHEUS_PORT;
    /** A metric name of ours, Quarkus's or RabbitMQ's, as PromQL names it. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:chat|http|rabbitmq)_[a-z_]+\\b");

    @BeforeAll
    static void up() throws Exception {
        Stack.upWithMetrics(3);
    }

    @AfterAll
    static void down() throws Exception {
        Stack.down();
    }

    @Test
    void shouldAcceptTheConfigurationAndTheRulesWithPromtool() throws Exception {
        promtool("check", "config", MONITORING.resolve("prometheus.yml").toString());
        promtool("check", "config", Stack.DIR.resolve("prometheus/prometheus.yml").toString());
        promtool("check", "rules", MONITORING.resolve("alerts.yml").toString());
        promtool("test", "rules", MONITORING.resolve("alerts.test.yml").toString());
    }

    @Test
    void shouldAnswerEveryQueryOfTheDashboardWithDataFromTheStack() throws Exception {
        List<String> queries = dashboardQueries();
        assertTrue(queries.size() >= 20, "the dashboard's queries: " + queries);
        whileTrafficFlows(() -> await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            List<String> empty = new ArrayList<>();
            for (String query : queries) {
                if (!hasNumber(query)) {
                    empty.add(query);
                }
            }
            assertEquals(List.of(), empty, "queries with no number yet");
        }));
    }

    /**
     * Runs {@code check} while traffic goes on: one event stream open, and every 100 ms a message
     * posted, the list read and the chat searched (a steady trickle, not a benchmark: the panels
     * need rates, not load).
     */
    private static void whileTrafficFlows(Runnable check) throws InterruptedException {
        String token = Client.createApplication();
        Client.createChats(token, 1);
        HttpRequest events = HttpRequest.newBuilder(URI.create(Stack.frontDoor() + "/applications/" + token + "/chats/1/events")).build();
        var stream = Client.HTTP.sendAsync(events, HttpResponse.BodyHandlers.discarding());
        AtomicInteger sent = new AtomicInteger();
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        load.scheduleWithFixedDelay(() -> {
            try {
                post(messagesOf(token, 1), messageJson("dashboard " + sent.incrementAndGet() + " #metrics"), null);
                Client.get(messagesOf(token, 1));
                Client.get(messagesOf(token, 1) + "/search?q=dash");
            } catch (RuntimeException e) {
                // one failed request must not end the traffic (a thrown task is never run again)
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        try {
            check.run();
        } finally {
            load.shutdownNow();
            load.awaitTermination(30, TimeUnit.SECONDS);
            stream.cancel(true);
        }
    }

    /**
     * Every metric the dashboard and the alerts name is one the stack exports: a query ending in
     * "or vector(0)" answers a number even when its metric is misspelled, and an alert on a metric
     * that does not exist never fires.
     */
    @Test
    void shouldExportEveryMetricTheDashboardAndTheAlertsName() throws Exception {
        Set<String> named = new TreeSet<>();
        for (String text : List.of(String.join("\n", dashboardQueries()), Files.readString(MONITORING.resolve("alerts.yml")))) {
            Matcher metric = METRIC.matcher(text);
            while (metric.find()) {
                named.add(metric.group());
            }
        }
        assertTrue(named.size() >= 12, named.toString());
        // Some appear only once they have something to count: the first message, the first request.
        whileTrafficFlows(() -> await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            Set<String> exported = new HashSet<>();
            // Only what was scraped in the last two minutes: the stack directory keeps earlier runs' data.
            long since = Instant.now().minusSeconds(120).getEpochSecond();
            prometheus("/api/v1/label/__name__/values?start=" + since).path("data").forEach(name -> exported.add(name.asText()));
            Set<String> missing = new TreeSet<>(named);
            missing.removeAll(exported);
            assertEquals(Set.of(), missing);
        }));
    }

    @Test
    void shouldScrapeEveryTargetAndEvaluateEveryRule() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode targets = prometheus("/api/v1/targets").path("data").path("activeTargets");
            Map<String, List<String>> health = new TreeMap<>();
            targets.forEach(target -> health.computeIfAbsent(target.path("labels").path("job").asText(), job -> new ArrayList<>())
                    .add(target.path("health").asText()));
            assertEquals(Map.of("api", List.of("up", "up", "up"), "worker", List.of("up"), "rabbitmq", List.of("up"),
                    "prometheus", List.of("up")), health);
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> rules = new ArrayList<>();
            prometheus("/api/v1/rules").path("data").path("groups").forEach(group -> group.path("rules").forEach(rule -> {
                assertEquals("ok", rule.path("health").asText(), rule.toString());
                rules.add(rule.path("name").asText());
            }));
            assertEquals(9, rules.size(), rules.toString());
        });
        // A healthy stack raises no alert, pending or firing, once its targets are scraped (before
        // that, the worker and the replicas are absent). DeadLetters is left out: this machine's
        // broker also holds the dead-letter queues of the worker's tests, which dead-letter on purpose.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<String> raised = new ArrayList<>();
            prometheus("/api/v1/alerts").path("data").path("alerts").forEach(alert -> {
                if (!alert.path("labels").path("alertname").asText().equals("DeadLetters")) {
                    raised.add(alert.toString());
                }
            });
            assertEquals(List.of(), raised);
        });
    }

    /**
     * Every expr of every panel, with Grafana's $__rate_interval as it is at this scrape interval;
     * every panel and query on the provisioned datasource, every panel id distinct.
     */
    private static List<String> dashboardQueries() throws IOException {
        JsonNode dashboard = JSON.readTree(MONITORING.resolve("grafana/dashboards/chat.json").toFile());
        Matcher uid = Pattern.compile("(?m)^\\s+uid: (\\S+)$")
                .matcher(Files.readString(MONITORING.resolve("grafana/provisioning/datasources/prometheus.yml")));
        assertTrue(uid.find(), "the provisioned datasource's uid");
        List<String> queries = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        dashboard.path("panels").forEach(panel -> {
            assertTrue(ids.add(panel.path("id").asInt()), "panel ids repeat: " + panel.path("title"));
            assertEquals(uid.group(1), panel.path("datasource").path("uid").asText(), panel.path("title").asText());
            panel.path("targets").forEach(target -> {
                assertEquals(uid.group(1), target.path("datasource").path("uid").asText(), panel.path("title").asText());
                queries.add(target.path("expr").asText().replace("$__rate_interval", "1m"));
            });
        });
        assertFalse(queries.stream().anyMatch(query -> query.contains("$")), "an unknown variable: " + queries);
        return queries;
    }

    private static boolean hasNumber(String query) throws Exception {
        JsonNode answer = prometheus("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        assertEquals("success", answer.path("status").asText(), query + ": " + answer);
        for (JsonNode series : answer.path("data").path("result")) {
            if (!series.path("value").path(1).asText().equals("NaN")) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode prometheus(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = Client.HTTP.send(HttpRequest.newBuilder(URI.create(PROMETHEUS + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static void promtool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), command.stream().collect(Collectors.joining(" ")) + ":\n" + output);
    }
}
