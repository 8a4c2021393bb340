package io.chat.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * {@code Compare BASE_RESULTS NEW_RESULTS BASE_NAME NEW_NAME}: two runs of bench/run side by side
 * (BENCH_BASE), one row per figure and concurrency that both measured: the median of each, and the
 * new one over the base one. The headline value is a rate for most figures (higher is better) and a
 * latency, a cost or a size for the others (lower is better): the figure's name says which, as in
 * the main table. p99 is compared where the figure has one.
 */
public final class Compare {

    private record Key(String figure, String concurrency) {
    }

    private Compare() {
    }

    public static void main(String[] args) throws IOException {
        Map<Key, List<Result>> base = byKey(Result.read(Path.of(args[0])));
        Map<Key, List<Result>> next = byKey(Result.read(Path.of(args[1])));
        StringBuilder out = new StringBuilder()
                .append("\n## Side by side: ").append(args[3]).append(" against ").append(args[2]).append("\n\n")
                .append("Medians over the runs of each; ratio: ").append(args[3]).append(" ÷ ").append(args[2])
                .append(" (above 1 is better for a rate, below 1 for a latency, a cost or a size).\n\n")
                .append("| Figure | C | ").append(args[2]).append(" | ").append(args[3]).append(" | ratio | p99 ms, ")
                .append(args[2]).append(" | p99 ms, ").append(args[3]).append(" | p99 ratio |\n")
                .append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        next.forEach((key, runs) -> {
            List<Result> old = base.get(key);
            if (old == null) {
                return;
            }
            double before = median(old, Result::value);
            double after = median(runs, Result::value);
            double p99Before = median(old, Result::p99);
            double p99After = median(runs, Result::p99);
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", key.figure(),
                    key.concurrency(), number(before), number(after), ratio(after, before), number(p99Before),
                    number(p99After), ratio(p99After, p99Before)));
        });
        System.out.print(out);
    }

    private static Map<Key, List<Result>> byKey(List<Result> results) {
        Map<Key, List<Result>> grouped = new LinkedHashMap<>();
        results.stream().filter(result -> !result.figure().equals("info"))
                .forEach(result -> grouped.computeIfAbsent(new Key(result.figure(), result.concurrency()),
                        key -> new ArrayList<>()).add(result));
        return grouped;
    }

    private static double median(List<Result> runs, ToDoubleFunction<Result> value) {
        return Report.median(runs.stream().mapToDouble(value));
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, value >= 100 ? "%,.0f" : "%.2f", value);
    }

    private static String ratio(double after, double before) {
        return Double.isNaN(after) || Double.isNaN(before) || before == 0 ? ""
                : String.format(Locale.ROOT, "%.2f×", after / before);
    }
}
