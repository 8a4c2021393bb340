package io.chat.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/**
 * Requests 0..n-1, at most {@code concurrency} of them in flight: a fixed amount of work at a fixed
 * concurrency, cut short if it takes longer than {@link #LIMIT} (a machine too loaded to finish).
 */
final class ClosedLoop {

    /** What went wrong with the answer to request i, or null if it is a success. */
    interface Check {
        String failure(int i, HttpResponse<String> response);
    }

    private static final Duration LIMIT = Duration.ofMinutes(5);

    private ClosedLoop() {
    }

    static Check status(int expected) {
        return (i, response) -> response.statusCode() == expected ? null : String.valueOf(response.statusCode());
    }

    /** Successes per second, with their latencies, and the failures. */
    static Result run(String figure, Api api, int concurrency, int n, IntFunction<HttpRequest> request, Check check)
            throws InterruptedException {
        Tally tally = new Tally();
        Semaphore inFlight = new Semaphore(concurrency);
        long start = System.nanoTime();
        int sent = 0;
        for (; sent < n && System.nanoTime() - start < LIMIT.toNanos(); sent++) {
            inFlight.acquire();
            int index = sent;
            long sentAt = System.nanoTime();
            api.send(request.apply(index)).whenComplete((response, failure) -> {
                String kind = failure != null ? failureKind(failure) : check.failure(index, response);
                if (kind == null) {
                    tally.success(System.nanoTime() - sentAt);
                } else {
                    tally.failure(kind);
                }
                inFlight.release();
            });
        }
        inFlight.acquire(concurrency);
        if (sent < n) {
            tally.failures("not sent within " + LIMIT.toMinutes() + " min", n - sent);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return tally.result(figure, String.valueOf(concurrency), tally.successes() / seconds);
    }

    /** The exception's simple name: "HttpTimeoutException", "ConnectException". */
    static String failureKind(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause.getClass().getSimpleName();
    }
}
