package io.chat.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * {@code EndToEnd FRONT_DOOR TOKEN CHATS RATE SECONDS}: posts RATE messages a second for SECONDS, each
 * to a random chat of 1..CHATS with a unique word in its body, on a fixed schedule whatever the
 * answers take (an open loop). For about {@value #SAMPLES} of them it measures the time from the 202
 * until GET of the message answers 200 (polled every 10 ms), and then until a search for its word
 * finds it (polled every 20 ms); a sample still missing 30 s after its 202 is lost. Prints the results
 * {@code e2e.target}, {@code e2e.posted} (202s per second), {@code e2e.visible},
 * {@code e2e.searchable} and {@code e2e.polls} (the polls' own requests per second).
 */
public final class EndToEnd {

    private static final int SAMPLES = 300;
    private static final long GIVE_UP = Duration.ofSeconds(30).toNanos();

    private final Api api;
    private final int chats;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private final Tally posts = new Tally();
    private final Tally visible = new Tally();
    private final Tally searchable = new Tally();
    private final Queue<CompletableFuture<Void>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong lastAccepted = new AtomicLong();
    private final LongAdder polls = new LongAdder();

    private EndToEnd(Api api, int chats) {
        this.api = api;
        this.chats = chats;
    }

    public static void main(String[] args) throws InterruptedException {
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        EndToEnd run = new EndToEnd(new Api(args[0], args[1]), Integer.parseInt(args[2]));
        run.run(rate, seconds);
        run.timer.shutdownNow();
    }

    private void run(int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        int sampleEvery = Math.max(1, total / SAMPLES);
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        AtomicInteger next = new AtomicInteger();
        CountDownLatch allSent = new CountDownLatch(1);
        long start = System.nanoTime();
        // At a fixed rate: a late tick is made up for at once, so the schedule holds on average.
        ScheduledFuture<?> pacer = timer.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i < total) {
                pending.add(post(start + i * period, i % sampleEvery == 0));
            }
            if (i == total - 1) {
                allSent.countDown();
            }
        }, 0, period, TimeUnit.NANOSECONDS);
        allSent.await();
        pacer.cancel(false);
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        double achieved = posts.successes() == 0 ? 0 : posts.successes() / ((lastAccepted.get() - start) / 1e9);
        double pollRate = polls.sum() / ((System.nanoTime() - start) / 1e9);
        System.out.println(Result.of("e2e.target", rate).line());
        System.out.println(Result.of("e2e.polls", pollRate).line());
        System.out.println(posts.result("e2e.posted", "-", achieved).line());
        System.out.println(visible.latencyResult("e2e.visible").line());
        System.out.println(searchable.latencyResult("e2e.searchable").line());
    }

    /**
     * Completes when the post is answered and, for a sample, once both polls have ended. Its latency
     * counts from when the schedule meant to send it, so that a late client cannot hide a slow server.
     */
    private CompletableFuture<Void> post(long due, boolean sample) {
        int chat = ThreadLocalRandom.current().nextInt(1, chats + 1);
        String word = Api.uniqueWord();
        return api.send(api.postMessage(chat, "bench message " + word)).handle((response, failure) -> {
            long accepted = System.nanoTime();
            if (failure != null) {
                posts.failure(ClosedLoop.failureKind(failure));
            } else if (response.statusCode() != 202) {
                posts.failure(String.valueOf(response.statusCode()));
            } else {
                posts.success(accepted - due);
                lastAccepted.accumulateAndGet(accepted, Math::max);
                if (sample) {
                    return startPolls(chat, Api.json(response).path("number").asInt(), word, accepted);
                }
            }
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(polls -> polls);
    }

    private CompletableFuture<Void> startPolls(int chat, int number, String word, long accepted) {
        String messages = "/chats/" + chat + "/messages";
        CompletableFuture<Boolean> read = new CompletableFuture<>();
        poll(api.get(messages + "/" + number), response -> response.statusCode() == 200, 10, accepted, visible, read);
        // The worker indexes a message only once it has persisted it: searching before it can be read
        // would only load the search engine with polls that cannot succeed.
        return read.thenCompose(readable -> {
            CompletableFuture<Boolean> found = new CompletableFuture<>();
            if (readable) {
                poll(api.get(messages + "/search?q=" + word), response -> response.statusCode() == 200 && Api.holds(response, number),
                        20, accepted, searchable, found);
            } else {
                searchable.failure("lost");
                found.complete(false);
            }
            return found;
        }).thenAccept(found -> { });
    }

    /**
     * Sends the request every intervalMillis until the answer is what we wait for (done: true), or
     * until 30 s after the 202 (done: false, a lost sample).
     */
    private void poll(HttpRequest request, Predicate<HttpResponse<String>> arrived, long intervalMillis, long accepted,
            Tally into, CompletableFuture<Boolean> done) {
        polls.increment();
        api.send(request).whenComplete((response, failure) -> {
            long now = System.nanoTime();
            if (failure == null && arrived.test(response)) {
                into.success(now - accepted);
                done.complete(true);
            } else if (now - accepted > GIVE_UP) {
                into.failure("lost");
                done.complete(false);
            } else {
                timer.schedule(() -> poll(request, arrived, intervalMillis, accepted, into, done), intervalMillis, TimeUnit.MILLISECONDS);
            }
        });
    }
}
