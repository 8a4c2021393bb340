package io.chat.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * {@code DrainWatch JDBC_URL COUNT_URL PERSISTED_BEFORE INDEXED_BEFORE BACKLOG}: while a worker drains
 * a backlog, counts every second the persisted messages ({@code SELECT COUNT(*) FROM messages}) and the
 * indexed ones (the search index's {@code _count}), until both have grown by BACKLOG (or 10 minutes
 * passed). Prints, for each, the result {@code drain.persisted} / {@code drain.indexed}: messages per
 * second from the first sample that saw one to the first that saw them all, and one
 * {@code ….5s} result per whole 5-second window in between.
 */
public final class DrainWatch {

    private static final long GIVE_UP = TimeUnit.MINUTES.toNanos(10);
    private static final int WINDOW = 5;

    /** One poll: when, and how many of the backlog were persisted and indexed by then. */
    private record Sample(long nanos, long persisted, long indexed) {
    }

    private DrainWatch() {
    }

    public static void main(String[] args) throws Exception {
        long persistedBefore = Long.parseLong(args[2]);
        long indexedBefore = Long.parseLong(args[3]);
        long backlog = Long.parseLong(args[4]);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest count = HttpRequest.newBuilder(URI.create(args[1])).build();
        List<Sample> samples = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(args[0]); Statement sql = db.createStatement()) {
            long start = System.nanoTime();
            Sample last;
            do {
                long tick = System.nanoTime();
                long persisted = persisted(sql) - persistedBefore;
                long indexed = Api.json(http.send(count, HttpResponse.BodyHandlers.ofString())).path("count").asLong() - indexedBefore;
                last = new Sample(System.nanoTime(), persisted, indexed);
                samples.add(last);
                System.err.printf("drain: %d persisted, %d indexed of %d%n", persisted, indexed, backlog);
                TimeUnit.NANOSECONDS.sleep(Math.max(0, tick + TimeUnit.SECONDS.toNanos(1) - System.nanoTime()));
            } while ((last.persisted() < backlog || last.indexed() < backlog) && System.nanoTime() - start < GIVE_UP);
        }
        print("drain.persisted", samples, Sample::persisted, backlog);
        print("drain.indexed", samples, Sample::indexed, backlog);
    }

    private static long persisted(Statement sql) throws SQLException {
        try (ResultSet rows = sql.executeQuery("SELECT COUNT(*) FROM messages")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void print(String figure, List<Sample> samples, ToLongFunction<Sample> done, long backlog) {
        int first = 0;
        while (first < samples.size() - 1 && done.applyAsLong(samples.get(first)) <= 0) {
            first++;
        }
        int last = first;
        while (last < samples.size() - 1 && done.applyAsLong(samples.get(last)) < backlog) {
            last++;
        }
        // All drained between two polls: count from the poll before, which saw none.
        int from = first == last ? Math.max(0, first - 1) : first;
        Sample start = samples.get(from);
        Sample end = samples.get(last);
        long drained = done.applyAsLong(end) - done.applyAsLong(start);
        double seconds = (end.nanos() - start.nanos()) / 1e9;
        System.out.println(new Result(figure, "-", drained / seconds, Double.NaN, Double.NaN, backlog,
                Math.max(0, backlog - done.applyAsLong(end)), String.format(Locale.ROOT, "%,d messages in %.1f s", drained, seconds)).line());
        for (int i = from; i + WINDOW <= last; i += WINDOW) {
            Sample windowStart = samples.get(i);
            Sample windowEnd = samples.get(i + WINDOW);
            double rate = (done.applyAsLong(windowEnd) - done.applyAsLong(windowStart)) / ((windowEnd.nanos() - windowStart.nanos()) / 1e9);
            System.out.println(Result.of(figure + ".5s", rate).line());
        }
    }
}
