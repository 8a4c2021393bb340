package io.chat.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "chat")
public interface ApiConfig {

    /** What a 503 tells clients to wait before they retry. */
    @WithDefault("5S")
    Duration retryAfter();
}
