package io.chat.worker.purge;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "chat.purge")
public interface PurgeConfig {

    /** How often the purge looks for deleted applications and chats (read by {@link PurgeJob}'s schedule). */
    @WithDefault("5s")
    Duration interval();

    /** Rows deleted per statement: keeps each transaction, and the locks it holds, short. */
    @WithDefault("1000")
    int batchSize();
}
