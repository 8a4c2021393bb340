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
 *
 * Or one node of a cluster (bin/search-cluster), when SEARCH_SEEDS is set: SEARCH_NODE_NAME,
 * SEARCH_TRANSPORT_PORT, SEARCH_SEEDS (every node's transport host:port) and SEARCH_MANAGERS (the
 * node names that elect the first cluster manager).
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
        String seeds = System.getenv("SEARCH_SEEDS");
        runner.onBuild((number, settings) -> {
            settings.put("http.port", port);
            settings.put("network.host", "127.0.0.1");
            if (seeds == null) {
                settings.put("discovery.type", "single-node");
            } else {
                settings.put("cluster.name", "chat-search");
                settings.put("node.name", System.getenv("SEARCH_NODE_NAME"));
                settings.put("transport.port", System.getenv("SEARCH_TRANSPORT_PORT"));
                settings.putList("discovery.seed_hosts", seeds.split(","));
                settings.putList("cluster.initial_cluster_manager_nodes", System.getenv("SEARCH_MANAGERS").split(","));
            }
        }).build(OpenSearchRunner.newConfigs().numOfNode(1).basePath(home.toString()).disableESLogger());
        if (seeds == null) {
            runner.ensureYellow(); // a cluster's node waits for the others: its script waits for the cluster
        }
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
