package io.chat.worker.config;

import io.chat.common.messaging.BrokerSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "chat")
public interface WorkerConfig {

    BrokerSettings rabbitmq();

    Consumer consumer();

    Counts counts();

    Search search();

    Events events();

    interface Events {
        /** The fanout exchange the committed events are published to (io.chat.common.events.ChatEventFanout). */
        @WithDefault("chat.events")
        String exchange();
    }

    interface Consumer {
        @WithDefault("1000")
        int prefetch();

        @WithDefault("500")
        int batchSize();

        @WithDefault("3")
        int maxAttempts();
    }

    interface Search {
        /** How long the indexer waits when the outbox is empty. */
        @WithDefault("200ms")
        Duration interval();

        /** Primary shards of the message index, when it is created (SEARCH_SHARDS). */
        @WithDefault("1")
        int shards();

        /** Copies of each shard on other nodes (SEARCH_REPLICAS): 0 on one node, 1 or more on a cluster. */
        @WithDefault("0")
        int replicas();
    }

    interface Counts {
        /** Read by MessageCounts' schedule. */
        @WithDefault("1s")
        Duration interval();

        /** Read by MessageCounts' schedule. */
        @WithDefault("15m")
        Duration reconcileInterval();
    }
}
