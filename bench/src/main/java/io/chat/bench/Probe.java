package io.chat.bench;

import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * {@code Probe FRONT_DOOR TOKEN CHATS RATE SECONDS}: the end-to-end samples, taken while bench/run
 * holds a paced load (bench/paced.lua). Starts RATE probes a second for SECONDS, each on a fixed
 * schedule whatever the others take. A probe posts a message with a unique word to a random chat of
 * 1..CHATS, then polls GET of that message every {@value #READ_POLL_MILLIS} ms until it answers
 * 200, then searches its word every {@value #SEARCH_POLL_MILLIS} ms until the search finds it; both
 * latencies count from the 202. A probe still missing 30 s after its 202 is lost. Prints
 * {@code e2e.probes} (their posts), {@code e2e.visible}, {@code e2e.searchable}, {@code e2e.polls}
 * (the polls' requests a second) and {@code e2e.client} (this process's CPU, % of one core).
 */
public final class Probe {

    static final int READ_POLL_MILLIS = 10;
    static final int SEARCH_POLL_MILLIS = 50;
    private static final long GIVE_UP = Duration.ofSeconds(30).toNanos();

    private final Api api;
    private final int chats;
    private final Tally posts = new Tally();
    private final Tally visible = new Tally();
    private final Tally searchable = new Tally();
    private final LongAdder polls = new LongAdder();

    private Probe(Api api, int chats) {
        this.api = api;
        this.chats = chats;
    }

    public static void main(String[] args) throws InterruptedException {
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        new Probe(new Api(args[0], args[1]), Integer.parseInt(args[2])).run(rate, seconds);
    }

    private void run(int rate, int seconds) throws InterruptedException {
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        // A thread per probe under way: each waits for its answers, none waits for another probe.
        ExecutorService probes = Executors.newCachedThreadPool();
        for (int i = 0; i < rate * seconds; i++) {
            long wait = start + i * period - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            probes.execute(this::probe);
        }
        probes.shutdown();
        if (!probes.awaitTermination(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("probes still running 2 minutes after the last one started");
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.println(posts.result("e2e.probes", "-", posts.successes() / elapsed).line());
        System.out.println(visible.latencyResult("e2e.visible").line());
        System.out.println(searchable.latencyResult("e2e.searchable").line());
        System.out.println(Result.of("e2e.polls", polls.sum() / elapsed).line());
        System.out.println(Result.of("e2e.client", (processCpuNanos() - cpuBefore) / 1e9 / elapsed * 100).line());
    }

    private void probe() {
        int chat = ThreadLocalRandom.current().nextInt(1, chats + 1);
        String word = Api.uniqueWord();
        long sent = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = api.send(api.postMessage(chat, "bench probe " + word)).join();
        } catch (RuntimeException e) {
            posts.failure(ClosedLoop.failureKind(e));
            return;
        }
        long accepted = System.nanoTime();
        if (response.statusCode() != 202) {
            posts.failure(String.valueOf(response.statusCode()));
            return;
        }
        posts.success(accepted - sent);
        int number = Api.json(response).path("number").asInt();
        String messages = "/chats/" + chat + "/messages";
        // The worker indexes a message only once it has persisted it: no search before it can be read.
        if (poll(api.get(messages + "/" + number), found -> found.statusCode() == 200, READ_POLL_MILLIS, accepted, visible)) {
            poll(api.get(messages + "/search?q=" + word), found -> found.statusCode() == 200 && Api.holds(found, number),
                    SEARCH_POLL_MILLIS, accepted, searchable);
        } else {
            searchable.failure("lost");
        }
    }

    /** Sends the request every intervalMillis until the answer is the one awaited (true) or GIVE_UP after the 202. */
    private boolean poll(HttpRequest request, Predicate<HttpResponse<String>> arrived, int intervalMillis, long accepted,
            Tally into) {
        while (true) {
            polls.increment();
            HttpResponse<String> answer = null;
            try {
                answer = api.send(request).join();
            } catch (RuntimeException e) {
                // a failed poll is retried like a miss
            }
            long now = System.nanoTime();
            if (answer != null && arrived.test(answer)) {
                into.success(now - accepted);
                return true;
            }
            if (now - accepted > GIVE_UP) {
                into.failure("lost");
                return false;
            }
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                into.failure("interrupted");
                return false;
            }
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
