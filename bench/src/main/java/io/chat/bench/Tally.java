package io.chat.bench;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** Latencies of the successes and the kinds of failure of many requests (or samples); thread-safe. */
final class Tally {

    private final Queue<Long> nanos = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> failures = new ConcurrentSkipListMap<>();

    void success(long latencyNanos) {
        nanos.add(latencyNanos);
    }

    void failure(String kind) {
        failures(kind, 1);
    }

    void failures(String kind, long times) {
        failures.computeIfAbsent(kind, k -> new LongAdder()).add(times);
    }

    long successes() {
        return nanos.size();
    }

    long failures() {
        return failures.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Of the successes, nearest rank, in ms; NaN without a success. */
    double percentile(double p) {
        return percentile(p, 0);
    }

    /**
     * Of successes and failures together, each failure slower than every success (a sample that
     * never arrived): infinite when the rank falls among the failures.
     */
    double percentileFailuresLast(double p) {
        return percentile(p, failures());
    }

    private double percentile(double p, long slowest) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        long total = sorted.length + slowest;
        if (total == 0) {
            return Double.NaN;
        }
        int rank = Math.max(1, (int) Math.ceil(p / 100 * total));
        return rank > sorted.length ? Double.POSITIVE_INFINITY : sorted[rank - 1] / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }

    /** "503:12,timeout:1" */
    String failureKinds() {
        return failures.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().sum()).collect(Collectors.joining(","));
    }

    /** value: a rate; the percentiles are of the successes. */
    Result result(String figure, String concurrency, double value) {
        return new Result(figure, concurrency, value, percentile(50), percentile(99), successes() + failures(), failures(),
                failureKinds());
    }

    /** value: the p99; failures count as slower than every success. */
    Result latencyResult(String figure) {
        double p99 = percentileFailuresLast(99);
        return new Result(figure, "-", p99, percentileFailuresLast(50), p99, successes() + failures(), failures(), failureKinds());
    }
}
