package io.chat.api.metrics;

import io.chat.common.metrics.Latencies;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Arrays;

/**
 * Request latencies as histograms (http_server_requests_seconds_bucket), so that the dashboards can
 * show p50 and p99 per route over all replicas together: a replica's own quantiles cannot be added.
 */
public class RequestLatencyHistograms {

    @Produces
    @Singleton
    MeterFilter requestHistograms() {
        double[] buckets = Arrays.stream(Latencies.BUCKETS).mapToDouble(bucket -> bucket.toNanos()).toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(buckets).build().merge(config);
            }
        };
    }
}
