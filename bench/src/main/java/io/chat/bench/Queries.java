package io.chat.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * {@code Queries FRONT_DOOR TOKEN CHAT END REQUESTS CONCURRENCY}: the read shapes of filters and
 * trends (bench/filters) on a chat of the application whose messages were created up to END (RFC
 * 3339), each REQUESTS times at CONCURRENCY; prints one markdown table. Every request asks for a
 * different time (a seeded random one), so that neither the list cache nor the search engine's
 * request cache answers it: each is a query of MySQL or of the index.
 */
public final class Queries {

    private record Shape(String figure, String what, IntFunction<String> path) {
    }

    private Queries() {
    }

    public static void main(String[] args) throws InterruptedException {
        Api api = new Api(args[0], args[1]);
        int chat = Integer.parseInt(args[2]);
        Instant end = Instant.parse(args[3]);
        int requests = Integer.parseInt(args[4]);
        int concurrency = Integer.parseInt(args[5]);
        Random random = new Random(42);
        // A time in the last 23 hours of the messages, to the millisecond: never the same twice in a run.
        IntFunction<Instant> at = i -> end.minusMillis((long) (random.nextDouble() * Duration.ofHours(23).toMillis()));
        String messages = "/chats/" + chat + "/messages?limit=50";
        List<Shape> shapes = List.of(
                new Shape("trends.1m", "trends, 1,000 buckets of 1 minute (the most the contract allows)",
                        i -> trends("1m", at.apply(i), Duration.ofMinutes(999))),
                new Shape("trends.2m", "trends, 24 hours of 2-minute buckets (720)", i -> trends("2m", at.apply(i), Duration.ofHours(24))),
                new Shape("trends.1h", "trends, 24 hours of 1-hour buckets", i -> trends("1h", at.apply(i), Duration.ofHours(24))),
                new Shape("trends.tag", "trends of one hashtag, 24 hours of 2-minute buckets",
                        i -> trends("2m", at.apply(i), Duration.ofHours(24)) + "&hashtag=release"),
                new Shape("hashtags", "top 10 hashtags of 24 hours", i -> "/hashtags?limit=10&" + span(at.apply(i), Duration.ofHours(24))),
                new Shape("list.time", "a page before a time (to)", i -> messages + "&to=" + at.apply(i)),
                new Shape("list.range", "a page of one hour, oldest first (from, to, order=asc)",
                        i -> messages + "&order=asc&" + span(at.apply(i), Duration.ofHours(1))),
                new Shape("list.sender", "a page of one sender before a time", i -> messages + "&sender=user" + (i % 100) + "&to=" + at.apply(i)),
                new Shape("list.hashtag", "a page of one hashtag before a time", i -> messages + "&hashtag=tag" + (i % 100) + "&to=" + at.apply(i)),
                new Shape("list.all", "a page of a hashtag and a sender in one hour (every filter)",
                        i -> messages + "&hashtag=release&sender=user" + (i % 100 / 7 * 7) + "&" + span(at.apply(i), Duration.ofHours(1))));
        System.out.println("| Query | p50 ms | p99 ms | req/s | errors |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Shape shape : shapes) {
            // A warm-up pass, not counted, then the measured one.
            ClosedLoop.run(shape.figure(), api, concurrency, Math.max(20, requests / 10), i -> api.get(shape.path().apply(i)),
                    ClosedLoop.status(200));
            Result result = ClosedLoop.run(shape.figure(), api, concurrency, requests, i -> api.get(shape.path().apply(i)),
                    ClosedLoop.status(200));
            System.out.printf(Locale.ROOT, "| %s (`%s`) | %.1f | %.1f | %.0f | %.0f%s |%n", shape.what(), shape.figure(), result.p50(),
                    result.p99(), result.value(), result.errors(), result.note().isEmpty() ? "" : " " + result.note());
        }
    }

    private static String trends(String interval, Instant to, Duration span) {
        return "/trends?interval=" + interval + "&" + span(to, span);
    }

    private static String span(Instant to, Duration span) {
        return "from=" + to.minus(span) + "&to=" + to;
    }
}
