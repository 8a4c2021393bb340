package io.chat.common.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/**
 * The histogram buckets of every latency the dashboards show as p50 and p99 (requests, and how long
 * a message waits to be persisted and to be searchable): a fixed set, from 5 ms to 5 minutes, so
 * that each timer costs the same few series and quantiles can be added up across replicas.
 */
public final class Latencies {

    public static final Duration[] BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5),
    };

    private Latencies() {
    }

    public static Timer timer(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS).register(registry);
    }

    /** The time from {@code since} to now; never negative (the API and the worker may be on different clocks). */
    public static void recordSince(Timer timer, Instant since) {
        Duration elapsed = Duration.between(since, Instant.now());
        timer.record(elapsed.isNegative() ? Duration.ZERO : elapsed);
    }
}
