package io.chat.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * A single-node OpenSearch 2.19 for bin/stack, in a JVM of its own: the engine docker-compose runs
 * as Elasticsearch 8, where neither exists as a package. Runs until SIGTERM; keeps its data.
 *
 * <pre>java -jar chat-stack.jar PORT DATA_DIR</pre>
 */
public final class SearchNodeMain {

    private SearchNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java -jar chat-stack.jar PORT DATA_DIR");
            System.exit(2);
        }
        String port = args[0];
        Path home = Files.createDirectories(Path.of(args[1]));
        OpenSearchRunner runner = new OpenSearchRunner();
        runner.onBuild((number, settings) -> {
            settings.put("http.port", port);
            settings.put("network.host", "127.0.0.1");
            settings.put("discovery.type", "single-node");
        }).build(OpenSearchRunner.newConfigs().numOfNode(1).basePath(home.toString()).disableESLogger());
        runner.ensureYellow();
        System.out.println("search node ready on 127.0.0.1:" + port + ", data in " + home);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }));
        stopped.await();
    }
}
