package io.chat.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;

/**
 * {@code Report RESULTS_FILE}: the markdown table of a bench run from its raw results (one
 * {@link Result} a line), then the goals, each met or not, then what the run ran on.
 */
public final class Report {

    private static final double RSS_GOAL_MB = 256;
    private static final double SEARCHABLE_P99_GOAL_MS = 2000;

    private final List<Result> results;
    private final List<String> concurrencies;
    private final String top;
    private final List<String> table = new ArrayList<>();
    private final List<String> goals = new ArrayList<>();

    /** The figures of one measure over its runs. */
    private record Figure(List<Result> runs) {

        double median() {
            return Report.median(runs.stream().mapToDouble(Result::value));
        }

        double min() {
            return values().min().orElse(Double.NaN);
        }

        double max() {
            return values().max().orElse(Double.NaN);
        }

        /** Of the runs that did not fail. */
        private DoubleStream values() {
            return runs.stream().mapToDouble(Result::value).filter(v -> !Double.isNaN(v));
        }

        double p50() {
            return Report.median(runs.stream().mapToDouble(Result::p50));
        }

        double p99() {
            return Report.median(runs.stream().mapToDouble(Result::p99));
        }

        long count() {
            return (long) runs.stream().mapToDouble(Result::count).filter(n -> !Double.isNaN(n)).sum();
        }

        long errors() {
            return (long) runs.stream().mapToDouble(Result::errors).filter(n -> !Double.isNaN(n)).sum();
        }

        double sum() {
            return runs.stream().mapToDouble(Result::value).sum();
        }

        /** "", or "; 1 of 3 runs failed: why". */
        String failedRuns() {
            List<Result> failed = runs.stream().filter(r -> Double.isNaN(r.value())).toList();
            return failed.isEmpty() ? "" : String.format(Locale.ROOT, "; %d of %d runs failed: %s", failed.size(), runs.size(),
                    failed.stream().map(Result::note).distinct().collect(Collectors.joining("; ")));
        }

        String concurrency() {
            return runs.isEmpty() ? "-" : runs.get(0).concurrency();
        }

        /** "non-202: 0", or "non-202: 12 (503:12)". */
        String failed(String what) {
            String kinds = runs.stream().filter(r -> !Double.isNaN(r.value())).map(Result::note).filter(n -> !n.isEmpty()).distinct()
                    .collect(Collectors.joining("; "));
            return what + ": " + String.format(Locale.ROOT, "%,d", errors()) + (kinds.isEmpty() ? "" : " (" + kinds + ")");
        }
    }

    /** A ceiling of spread acceptance: the fastest one component alone can go. */
    private record Ceiling(String name, Figure figure, String unit) {

        /** "1,901 msg/s (RabbitMQ publish)" */
        String text() {
            return rate(figure.median(), unit) + " (" + name + ")";
        }

        /** "RabbitMQ publish, 1,901 msg/s" */
        String named() {
            return name + ", " + rate(figure.median(), unit);
        }
    }

    private Report(List<Result> results) {
        this.results = results;
        this.concurrencies = results.stream().filter(r -> r.figure().equals("accept.spread")).map(Result::concurrency).distinct()
                .sorted(Comparator.comparingInt(Integer::parseInt)).toList();
        this.top = concurrencies.isEmpty() ? "-" : concurrencies.get(concurrencies.size() - 1);
    }

    public static void main(String[] args) throws IOException {
        System.out.print(new Report(Result.read(Path.of(args[0]))).markdown());
    }

    private String markdown() {
        concurrencies.forEach(this::acceptanceAndCeilings);
        memory();
        cpu();
        endToEnd();
        followers();
        drain();
        reads();
        StringBuilder out = new StringBuilder();
        out.append("| Measure | C | Median | Spread (min–max) | p50 | p99 | Ceiling | Ratio |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        table.forEach(row -> out.append(row).append('\n'));
        out.append("\nMedian and spread are over the runs of each measure; for a latency row they are of each run's p99. ")
                .append("p50 and p99 are medians over the runs. Ratio: the figure over its ceiling.\n");
        out.append("\nGoals:\n\n");
        goals.forEach(goal -> out.append("- ").append(goal).append('\n'));
        out.append('\n');
        figure("info").runs().forEach(info -> out.append("- ").append(info.note()).append('\n'));
        return out.toString();
    }

    private void acceptanceAndCeilings(String c) {
        Figure spread = figure("accept.spread", c);
        Figure hot = figure("accept.hot", c);
        Figure nginx = figure("static", c);
        Figure txSpread = figure("tx.spread", c);
        Figure txHot = figure("tx.hot", c);
        Figure publish = figure("publish", c);
        Ceiling tightest = Stream.of(new Ceiling("NGINX static", nginx, "req/s"), new Ceiling("bare MySQL tx", txSpread, "tx/s"),
                        new Ceiling("RabbitMQ publish", publish, "msg/s"))
                .filter(ceiling -> !Double.isNaN(ceiling.figure().median()))
                .min(Comparator.comparingDouble(ceiling -> ceiling.figure().median()))
                .orElse(new Ceiling("no ceiling measured", new Figure(List.of()), ""));
        Ceiling hotRow = new Ceiling("bare MySQL tx, row 1", txHot, "tx/s");
        rateRow("Acceptance, spread over the chats, " + spread.failed("non-202"), c, spread, "req/s", tightest);
        rateRow("Acceptance, hot chat 1, " + hot.failed("non-202"), c, hot, "req/s", hotRow);
        rateRow("Ceiling: NGINX answering a static 202, " + nginx.failed("non-202"), c, nginx, "req/s", null);
        rateRow("Ceiling: bare MySQL tx (lock, update, commit), random row of 1,000", c, txSpread, "tx/s", null);
        rateRow("Ceiling: bare MySQL tx, always row 1", c, txHot, "tx/s", null);
        rateRow("Ceiling: RabbitMQ persistent publish + confirm, 3 producers, C/3 unconfirmed each", c, publish, "msg/s", null);

        double share = spread.median() / tightest.figure().median();
        goals.add(String.format(Locale.ROOT, "Spread acceptance ≥ 50%% of the tightest ceiling, C=%s: %s (%s = %s of %s)", c,
                met(share >= 0.5), rate(spread.median(), "req/s"), percent(share), tightest.named()));
        goals.add(String.format(Locale.ROOT, "Hot chat ≥ bare hot-row tx rate, C=%s: %s (%s = %s of %s)", c,
                met(hot.median() >= txHot.median()), rate(hot.median(), "req/s"), percent(hot.median() / txHot.median()),
                hotRow.named()));
    }

    private void memory() {
        List<String> replicas = results.stream().map(Result::figure).filter(f -> f.startsWith("rss.")).distinct().sorted().toList();
        List<String> peaks = new ArrayList<>();
        boolean allBelow = true;
        for (String replica : replicas) {
            Figure rss = figure(replica, top);
            table.add(row("API RSS peak, " + replica.substring(4) + " (spread acceptance)", top, mb(rss.median()),
                    number(rss.min()) + "–" + number(rss.max()), "", "", mb(RSS_GOAL_MB) + " (goal)", percent(rss.max() / RSS_GOAL_MB)));
            peaks.add(replica.substring(4) + " " + mb(rss.max()));
            allBelow &= rss.max() < RSS_GOAL_MB;
        }
        goals.add("Each API replica < 256 MB RSS at peak: " + met(allBelow && !replicas.isEmpty()) + " (highest of the runs: "
                + String.join(", ", peaks) + ")");
    }

    /** Where the time goes: CPU per accepted message of each part, as a share of the machine's busy time. */
    private void cpu() {
        List<String> parts = results.stream().map(Result::figure).filter(f -> f.startsWith("cpu.")).distinct().toList();
        if (parts.isEmpty()) {
            return;
        }
        double machine = figure("cpu.machine", top).median();
        for (String part : parts) {
            Figure cpu = figure(part, top);
            String name = part.substring(4);
            boolean whole = name.equals("machine");
            table.add(row("CPU per accepted message, " + (whole ? "whole machine (busy; the rest is wrk and the kernel)" : name)
                            + " (spread acceptance, until persisted and indexed)", top, ms(cpu.median()),
                    number(cpu.min()) + "–" + number(cpu.max()), "", "", whole ? "" : "machine", whole ? "" : percent(cpu.median() / machine)));
        }
    }

    private void endToEnd() {
        Figure target = figure("e2e.target", "-");
        Figure load = figure("e2e.load");
        Figure probes = figure("e2e.probes", "-");
        Figure visible = figure("e2e.visible", "-");
        Figure searchable = figure("e2e.searchable", "-");
        rateRow("End to end: the load, half the peak less the probes, paced by wrk (bench/paced.lua), " + load.failed("non-202"),
                load.concurrency(), load, "msg/s", new Ceiling("target", target, "msg/s"));
        rateRow(String.format(Locale.ROOT, "End to end: the probes' posts, %s; their polls added %s; probe client CPU %s of a core",
                probes.failed("non-202"), rate(figure("e2e.polls", "-").median(), "req/s"),
                percent(figure("e2e.client", "-").median() / 100)), "-", probes, "msg/s", null);
        latencyRow("End to end: 202 → readable by GET (polled every " + Probe.READ_POLL_MILLIS + " ms), " + visible.failed("lost")
                + " of " + visible.count() + " samples", visible);
        latencyRow("End to end: 202 → found by search (polled every " + Probe.SEARCH_POLL_MILLIS + " ms), "
                + searchable.failed("lost") + " of " + searchable.count() + " samples", searchable);
        goals.add(String.format(Locale.ROOT, "p99 202 → searchable < 2 s at half peak: %s (median of the runs' p99 %s; runs %s–%s ms)",
                met(searchable.median() < SEARCHABLE_P99_GOAL_MS), ms(searchable.median()), number(searchable.min()),
                number(searchable.max())));
    }

    /** Idle followers of chats (Followers): what they cost, how fast an event reaches them, a reconnect storm. */
    private void followers() {
        Figure latency = figure("events.latency");
        if (latency.runs().isEmpty()) {
            return;
        }
        Figure memory = figure("events.memory");
        String n = memory.concurrency();
        Figure load = figure("events.load");
        rateRow("Events: the load meanwhile, half the peak less the probes, paced by wrk, " + load.failed("non-202"),
                load.concurrency(), load, "msg/s", new Ceiling("target", figure("e2e.target", "-"), "msg/s"));
        latencyRow("Events: 202 → event at each idle follower of the probed chat (" + n + " followers of " + figure("events.open").runs().get(0).note()
                + ", half SSE, half WebSocket, through NGINX over 3 replicas), " + latency.failed("lost") + " of " + latency.count()
                + " deliveries", latency);
        valueRow("Events: live API heap per idle connection, after 5 s and a full GC (all replicas together)", n,
                figure("events.heap"), " KiB");
        valueRow("Events: API RSS growth per idle connection, the same way (a JVM keeps the heap it once committed: only a "
                + "replica's first such crowd shows)", n, memory, " KiB");
        valueRow("Events: opening the " + n + " followers at once through NGINX, until all are open", "-", figure("events.open"), " ms");
        valueRow("Events: " + n + " reconnects at once to one replica, each resuming from its last id: until all are open", "-",
                figure("events.reconnect.open"), " ms");
        Figure caughtUp = figure("events.reconnect.caughtup");
        valueRow("Events: … until each has the message it missed, " + caughtUp.failed("behind"), "-", caughtUp, " ms");
    }

    private void valueRow(String label, String c, Figure figure, String unit) {
        table.add(row(label + figure.failedRuns(), c, number(figure.median()) + unit, number(figure.min()) + "–" + number(figure.max()),
                "", "", "", ""));
    }

    private void drain() {
        Figure backlog = figure("drain.backlog");
        Figure persisted = figure("drain.persisted");
        Figure indexed = figure("drain.indexed");
        Ceiling acceptance = new Ceiling("spread acceptance, C=" + top, figure("accept.spread", top), "req/s");
        table.add(row("Drain: backlog posted with the worker stopped (one run), " + backlog.failed("non-202") + ", broker messages queued then: "
                        + String.format(Locale.ROOT, "%,.0f", figure("drain.depth").median()),
                backlog.concurrency(), rate(backlog.median(), "req/s"), "one run", ms(backlog.p50()), ms(backlog.p99()), "", ""));
        drainRow("Drain: persisted by the restarted worker", persisted, figure("drain.persisted.5s"), acceptance);
        drainRow("Drain: indexed by the restarted worker", indexed, figure("drain.indexed.5s"), acceptance);
        goals.add(String.format(Locale.ROOT, "Drain ≥ spread acceptance (%s): persisted %s, %s (%s); indexed %s, %s (%s)",
                acceptance.named(), rate(persisted.median(), "msg/s"), met(persisted.median() >= acceptance.figure().median()),
                percent(persisted.median() / acceptance.figure().median()), rate(indexed.median(), "msg/s"),
                met(indexed.median() >= acceptance.figure().median()), percent(indexed.median() / acceptance.figure().median())));
    }

    private void drainRow(String label, Figure drain, Figure windows, Ceiling acceptance) {
        String spread = windows.runs().isEmpty() ? "no whole 5-s window"
                : rate(windows.min(), "") + "–" + rate(windows.max(), "") + " (5-s windows, median " + rate(windows.median(), "") + ")";
        String note = drain.runs().isEmpty() ? "" : drain.runs().get(0).note();
        table.add(row(String.format(Locale.ROOT, "%s: one backlog, %s, missing: %,d", label, note, drain.errors()), "-",
                rate(drain.median(), "msg/s"), spread,
                "", "", acceptance.text(), percent(drain.median() / acceptance.figure().median())));
    }

    private void reads() {
        Figure cold = figure("reads.cold");
        Figure warm = figure("reads.warm");
        Figure search = figure("search");
        Figure misses = figure("cache.misses");
        Figure restored = figure("cache.restored");
        rateRow(String.format(Locale.ROOT, "Reads: GET …/messages, cold cache (pages stored, so missed: %,.0f of %,d reads), %s",
                misses.sum(), misses.count(), cold.failed("errors")), cold.concurrency(), cold, "req/s", null);
        rateRow(String.format(Locale.ROOT, "Reads: GET …/messages, warm cache (pages stored again, so missed: %,.0f of %,d reads), %s",
                restored.sum(), restored.count(), warm.failed("errors")), warm.concurrency(), warm, "req/s", null);
        rateRow(String.format(Locale.ROOT, "Search: first 5 letters of the word in each chat's newest message, %,.0f messages indexed, %s",
                figure("search.indexed").max(), search.failed("not found or errors")), search.concurrency(), search, "req/s", null);
        steadyRow("GET …/messages (cached pages)", figure("steady.list"));
        steadyRow("GET …/chats/N", figure("steady.chat"));
        steadyRow("GET /applications/TOKEN", figure("steady.application"));
    }

    private void steadyRow(String what, Figure steady) {
        rateRow("Steady reads: " + what + " of 10 chats again and again, " + steady.failed("non-200"), steady.concurrency(),
                steady, "req/s", null);
    }

    private void rateRow(String label, String c, Figure figure, String unit, Ceiling ceiling) {
        table.add(row(label + figure.failedRuns(), c, rate(figure.median(), unit), rate(figure.min(), "") + "–" + rate(figure.max(), ""), ms(figure.p50()),
                ms(figure.p99()), ceiling == null ? "" : ceiling.text(),
                ceiling == null ? "" : percent(figure.median() / ceiling.figure().median())));
    }

    private void latencyRow(String label, Figure figure) {
        table.add(row(label, "-", ms(figure.median()), number(figure.min()) + "–" + number(figure.max()), ms(figure.p50()),
                ms(figure.p99()), "", ""));
    }

    private Figure figure(String name, String concurrency) {
        return new Figure(results.stream().filter(r -> r.figure().equals(name) && r.concurrency().equals(concurrency)).toList());
    }

    private Figure figure(String name) {
        return new Figure(results.stream().filter(r -> r.figure().equals(name)).toList());
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |";
    }

    static double median(DoubleStream values) {
        double[] sorted = values.filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String met(boolean met) {
        return met ? "met" : "**not met**";
    }

    private static String rate(double value, String unit) {
        return Double.isNaN(value) ? "n/a" : (String.format(Locale.ROOT, "%,.0f", value) + (unit.isEmpty() ? "" : " " + unit));
    }

    private static String ms(double value) {
        return Double.isNaN(value) ? "–" : Double.isInfinite(value) ? "lost (> 30 s)" : number(value) + " ms";
    }

    private static String mb(double value) {
        return number(value) + " MB";
    }

    /** Three significant digits or more: 0.35, 12.3, 1,234. */
    private static String number(double value) {
        if (Double.isInfinite(value)) {
            return "∞";
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2f" : value < 100 ? "%.1f" : "%,.0f", value);
    }

    private static String percent(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * ratio);
    }
}
