package io.chat.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Followers FRONT_DOOR REPLICA TOKEN FOLLOWED SUBSCRIBERS RATE SECONDS API_PIDS READY_FILE}: the
 * cost of following chats, while bench/run holds a paced load at half the peak write rate (it starts
 * the load when this creates READY_FILE, once the followers are open and measured idle).
 * <ol>
 * <li>Opens SUBSCRIBERS idle followers of chats 1..FOLLOWED through the front door, half over SSE
 * and half over WebSocket (NGINX's least_conn spreads them over the replicas): {@code events.open},
 * and what each connection adds to the replicas after 5 s idle, each read after a full GC: live
 * heap, {@code events.heap}, and RSS, {@code events.memory} (KiB).
 * <li>Posts RATE probes a second for SECONDS to random followed chats, and times each from its 202
 * to its event at every follower of its chat: {@code events.latency} (an event missing 30 s after
 * its 202 counts as lost).
 * <li>Drops every follower at once, posts one message to each followed chat, and reopens them all at
 * once on REPLICA alone, each resuming from its last id: {@code events.reconnect.open} (until every
 * one is open) and {@code events.reconnect.caughtup} (until every one has the message it missed).
 * </ol>
 * The followers are asynchronous (the JDK's HTTP client and WebSocket): no thread per connection.
 */
public final class Followers {

    private static final long LOST_AFTER = TimeUnit.SECONDS.toNanos(30);
    /** A generation's line of jcmd GC.heap_info: "def new generation total 19648K, used 5839K [...". */
    private static final Pattern USED = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    /** This run's word, in every message it posts: a follower tells them from other runs' and from the load. */
    private final String word = Api.uniqueWord();
    private final Pattern probeBody = Pattern.compile("\"body\":\"probe-" + word + "-(\\d+)\"");
    private final Api api;
    private final String token;
    private final int followed;
    /** A probe accepted: its chat, and when its 202 came. */
    private record Post(int chat, long acceptedAt) {
    }

    private final Map<Integer, Post> posted = new ConcurrentHashMap<>();
    /** When each follower received each probe, by probe * 1,000,000 + follower. */
    private final Map<Long, Long> arrivals = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();

    /** One connection following one chat, over either protocol. */
    private final class Follower {
        final int chat;
        final int index;
        final boolean socket;
        /** The last event id received; null until one is (the first open follows live events only). */
        volatile String lastId;
        volatile boolean started;
        /** When the message it missed while dropped arrived: 0 until then. */
        volatile long caughtUpAt;
        volatile Runnable close = () -> {
        };

        Follower(int index, int chat, boolean socket) {
            this.index = index;
            this.chat = chat;
            this.socket = socket;
        }

        /** Opens, resuming after lastId; completes once the connection is open. */
        CompletableFuture<Void> open(String base) {
            String path = "/applications/" + token + "/chats/" + chat + (socket ? "/socket" : "/events")
                    + (lastId == null ? "" : "?since=" + lastId);
            return socket ? openSocket(base.replaceFirst("^http", "ws") + path) : openStream(base + path);
        }

        private CompletableFuture<Void> openSocket(String uri) {
            StringBuilder partial = new StringBuilder();
            return http.newWebSocketBuilder().buildAsync(URI.create(uri), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        String frame = partial.toString();
                        partial.setLength(0);
                        int id = frame.indexOf("\"id\":\"");
                        received(id < 0 ? null : frame.substring(id + 6, frame.indexOf('"', id + 6)), frame);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).thenAccept(webSocket -> close = webSocket::abort);
        }

        private CompletableFuture<Void> openStream(String uri) {
            CompletableFuture<Void> opened = new CompletableFuture<>();
            HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).header("Accept", "text/event-stream").build();
            CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, info -> {
                if (info.statusCode() == 200) {
                    opened.complete(null);
                } else {
                    opened.completeExceptionally(new IllegalStateException("events answered " + info.statusCode()));
                }
                return HttpResponse.BodySubscribers.fromLineSubscriber(new Lines());
            });
            response.whenComplete((done, failure) -> {
                if (failure != null) {
                    opened.completeExceptionally(failure);
                }
            });
            close = () -> response.cancel(true);
            return opened;
        }

        void received(String id, String data) {
            long now = System.nanoTime();
            if (id != null) {
                lastId = id;
            }
            Matcher probe = probeBody.matcher(data);
            if (probe.find()) {
                arrivals.put(Long.parseLong(probe.group(1)) * 1_000_000L + index, now);
            } else if (data.contains("\"body\":\"missed-" + word + "\"")) {
                caughtUpAt = now;
            } else if (data.contains("\"body\":\"start-" + word + "\"")) {
                started = true;
            }
        }

        /** An SSE stream, line by line: an event ends at a blank line. */
        private final class Lines implements Flow.Subscriber<String> {
            private String id;
            private final StringBuilder data = new StringBuilder();

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(String line) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        received(id, data.toString());
                    }
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                }
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        }
    }

    private Followers(Api api, String token, int followed) {
        this.api = api;
        this.token = token;
        this.followed = followed;
    }

    public static void main(String[] args) throws Exception {
        Followers bench = new Followers(new Api(args[0], args[2]), args[2], Integer.parseInt(args[3]));
        List<Long> pids = new ArrayList<>();
        for (String pid : args[7].split(",")) {
            pids.add(Long.parseLong(pid));
        }
        bench.run(args[0], args[1], Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]), pids,
                Path.of(args[8]));
        System.exit(0);
    }

    private void run(String frontDoor, String replica, int subscribers, int rate, int seconds, List<Long> pids, Path ready)
            throws Exception {
        List<Follower> followers = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            followers.add(new Follower(i, i % followed + 1, i % 2 == 1));
        }
        long[] before = memory(pids);
        long start = System.nanoTime();
        openAll(followers, frontDoor);
        print(new Result("events.open", "-", millisSince(start), Double.NaN, Double.NaN, subscribers, Double.NaN, followed + " chats"));
        TimeUnit.SECONDS.sleep(5);
        long[] after = memory(pids);
        print(new Result("events.heap", Integer.toString(subscribers), (after[0] - before[0]) / (double) subscribers,
                Double.NaN, Double.NaN, subscribers, Double.NaN, "KiB of live API heap per connection"));
        print(new Result("events.memory", Integer.toString(subscribers), (after[1] - before[1]) / (double) subscribers,
                Double.NaN, Double.NaN, subscribers, Double.NaN, "KiB of API RSS per connection"));

        // One message to each chat: every follower then has an id to resume from, and is known to be live.
        postToEach("start-" + word);
        awaitAll(followers, follower -> follower.started);
        Files.writeString(ready, "ready\n");
        TimeUnit.SECONDS.sleep(1); // the load starts
        latency(followers, rate, seconds);

        followers.forEach(follower -> follower.close.run());
        postToEach("missed-" + word);
        TimeUnit.SECONDS.sleep(2); // persisted and on the fan-out: the followers' replays will hold them
        start = System.nanoTime();
        openAll(followers, replica);
        long open = System.nanoTime();
        long deadline = open + TimeUnit.SECONDS.toNanos(60);
        while (followers.stream().anyMatch(follower -> follower.caughtUpAt == 0) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        long behind = followers.stream().filter(follower -> follower.caughtUpAt == 0).count();
        long last = followers.stream().mapToLong(follower -> follower.caughtUpAt).max().orElse(start);
        print(Result.of("events.reconnect.open", (open - start) / 1e6));
        print(new Result("events.reconnect.caughtup", Integer.toString(subscribers), (last - start) / 1e6,
                Double.NaN, Double.NaN, subscribers, behind, behind == 0 ? "" : behind + " never caught up"));
        followers.forEach(follower -> follower.close.run());
    }

    private void latency(List<Follower> followers, int rate, int seconds) throws Exception {
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long begin = System.nanoTime();
        List<CompletableFuture<?>> posts = new ArrayList<>();
        for (int probe = 1; probe <= rate * seconds; probe++) {
            long wait = begin + probe * period - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int number = probe;
            int chat = ThreadLocalRandom.current().nextInt(followed) + 1;
            posts.add(api.send(api.postMessage(chat, "probe-" + word + "-" + number))
                    .thenAccept(response -> {
                        if (response.statusCode() == 202) {
                            posted.put(number, new Post(chat, System.nanoTime()));
                        } else {
                            failures.increment();
                        }
                    }));
        }
        CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).join();
        long expected = posted.values().stream().mapToLong(post -> followers.stream().filter(f -> f.chat == post.chat()).count()).sum();
        long lostAfter = System.nanoTime() + LOST_AFTER;
        while (arrivals.size() < expected && System.nanoTime() < lostAfter) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        Tally tally = new Tally();
        posted.forEach((probe, post) -> followers.stream().filter(follower -> follower.chat == post.chat()).forEach(follower -> {
            Long arrived = arrivals.get(probe * 1_000_000L + follower.index);
            if (arrived == null) {
                tally.failure("lost");
            } else {
                tally.success(Math.max(0, arrived - post.acceptedAt()));
            }
        }));
        tally.failures("non-202", failures.sum());
        print(tally.latencyResult("events.latency"));
    }

    private void openAll(List<Follower> followers, String base) {
        List<CompletableFuture<Void>> opening = followers.stream().map(follower -> follower.open(base)).toList();
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).orTimeout(120, TimeUnit.SECONDS).join();
    }

    private void postToEach(String body) {
        for (int chat = 1; chat <= followed; chat++) {
            int status = api.send(api.postMessage(chat, body)).join().statusCode();
            if (status != 202) {
                throw new IllegalStateException("a post answered " + status);
            }
        }
    }

    private static void awaitAll(List<Follower> followers, java.util.function.Predicate<Follower> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!followers.stream().allMatch(condition)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(followers.stream().filter(condition.negate()).count() + " followers got nothing in 60 s");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /**
     * What the API replicas hold together, in KiB, each after a full GC (jcmd GC.run): their live
     * Java heap (GC.heap_info's "used" of every generation) and their resident memory. RSS only
     * grows (a JVM keeps the heap it committed), so it tells only on replicas that never held as
     * many connections before; the live heap tells every time.
     */
    private static long[] memory(List<Long> pids) throws IOException, InterruptedException {
        long heap = 0;
        long rss = 0;
        for (long pid : pids) {
            jcmd(pid, "GC.run");
            Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
            while (used.find()) {
                heap += Long.parseLong(used.group(1));
            }
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss += Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        return new long[] {heap, rss};
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static void print(Result result) {
        System.out.println(result.line());
    }
}
