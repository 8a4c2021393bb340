package io.chat.api.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chat.api.ratelimit.RateLimits.Budget;
import io.chat.api.ratelimit.RateLimits.Usage;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Each budget's window is counted in Redis, but a replica takes its places in it a few at a time
 * (a lease of {@link #leaseSize} places: one INCRBY) and hands them to requests from memory. Every
 * request still gets a place of its own in the shared window, and one past the limit is refused,
 * so no more than the limit ever go through in a window, on all replicas together. The margin is
 * the other way: places a replica leased and had no request for are lost to the others, so that up
 * to (replicas - 1) × lease size fewer may go through in a window (1% of the limit per replica),
 * and X-RateLimit-Remaining tells each request its own place, which other replicas' leases may have
 * moved on. Once a window is full, a replica refuses from memory until it ends. Leases for one
 * budget are not taken twice at once: requests that find the lease spent wait for the one renewal.
 */
final class Leases {

    // For every budget of the renewal: add its lease size, start the window on the first, say how long it has left.
    private static final String LEASE = """
            local leased = {}
            for i, key in ipairs(KEYS) do
              local size = tonumber(ARGV[i + 1])
              local count = redis.call('INCRBY', key, size)
              if count == size then redis.call('PEXPIRE', key, ARGV[1]) end
              local left = redis.call('PTTL', key)
              if left < 0 then redis.call('PEXPIRE', key, ARGV[1]); left = tonumber(ARGV[1]) end
              leased[2 * i - 1] = count
              leased[2 * i] = left
            end
            return leased""";

    /** One budget's places on this replica: {@code next} to {@code last} of the window that ends at {@code endsAt}. */
    private static final class Lease {
        private final int limit;
        private long next = 1;
        private long last;
        private long endsAt;
        private Uni<Void> renewal;

        Lease(int limit) {
            this.limit = limit;
            this.endsAt = System.nanoTime(); // over: the first request renews
        }

        /** The next place, or null if a renewal must come first. */
        synchronized Usage take(long now) {
            if (now - endsAt >= 0) {
                return null;
            }
            long left = Duration.ofNanos(endsAt - now).toMillis();
            if (next <= last) {
                return new Usage(limit, next++, left);
            }
            // A window whose places all went (here or elsewhere) only fills up until it ends.
            return last >= limit ? new Usage(limit, last + 1, left) : null;
        }

        synchronized void granted(long count, int size, long millisLeft, long now) {
            next = count - size + 1;
            last = count;
            endsAt = now + Duration.ofMillis(millisLeft).toNanos();
        }
    }

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;
    private final long windowMillis;
    private final Cache<String, Lease> leases;

    /** @param timeout how long a renewal may take before the requests waiting on it go through uncounted */
    Leases(ReactiveRedisDataSource redis, Duration window, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
        this.windowMillis = window.toMillis();
        this.leases = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(window.multipliedBy(2)).build();
    }

    static int leaseSize(int limit) {
        return Math.max(1, limit / 100);
    }

    /** A place for the request in each budget, in their order; fails if Redis does. */
    Uni<List<Usage>> take(List<Budget> budgets) {
        return fill(budgets, new Usage[budgets.size()]);
    }

    private Uni<List<Usage>> fill(List<Budget> budgets, Usage[] usages) {
        long now = System.nanoTime();
        List<Uni<Void>> waits = new ArrayList<>();
        List<Budget> renew = new ArrayList<>();
        List<Lease> renewed = new ArrayList<>();
        // One renewal for every lease of this request found spent: claimed under each lease's lock, so
        // other requests wait on it; only this request starts it, once the loop is done, and it ends
        // (in success or failure) by releasing every lease it claimed.
        CompletableFuture<Void> done = new CompletableFuture<>();
        Uni<Void> renewal = Uni.createFrom().emitter(waiter -> done.whenComplete((ignored, failure) -> {
            if (failure != null) {
                waiter.fail(failure);
            } else {
                waiter.complete(null);
            }
        }));
        for (int i = 0; i < budgets.size(); i++) {
            if (usages[i] != null) {
                continue;
            }
            Budget budget = budgets.get(i);
            Lease lease = leases.get(budget.key(), key -> new Lease(budget.limit()));
            synchronized (lease) {
                usages[i] = lease.take(now);
                if (usages[i] == null && lease.renewal != null) {
                    waits.add(lease.renewal);
                } else if (usages[i] == null) {
                    lease.renewal = renewal;
                    renew.add(budget);
                    renewed.add(lease);
                }
            }
        }
        if (waits.isEmpty() && renew.isEmpty()) {
            return Uni.createFrom().item(Arrays.asList(usages));
        }
        if (!renew.isEmpty()) {
            List<Lease> claimed = List.copyOf(renewed);
            Uni.createFrom().deferred(() -> renew(List.copyOf(renew), claimed)).subscribe().with(
                    ignored -> release(claimed, renewal, done, null), failure -> release(claimed, renewal, done, failure));
            waits.add(renewal);
        }
        return Uni.join().all(waits).andFailFast().chain(() -> fill(budgets, usages));
    }

    private Uni<Void> renew(List<Budget> budgets, List<Lease> renewed) {
        List<String> arguments = new ArrayList<>(List.of(LEASE, Integer.toString(budgets.size())));
        budgets.forEach(budget -> arguments.add(budget.key()));
        arguments.add(Long.toString(windowMillis));
        budgets.forEach(budget -> arguments.add(Integer.toString(leaseSize(budget.limit()))));
        return redis.execute("EVAL", arguments.toArray(String[]::new))
                .ifNoItem().after(timeout).fail()
                .invoke(leased -> {
                    long now = System.nanoTime();
                    for (int i = 0; i < budgets.size(); i++) {
                        renewed.get(i).granted(leased.get(2 * i).toLong(), leaseSize(budgets.get(i).limit()), leased.get(2 * i + 1).toLong(), now);
                    }
                })
                .replaceWithVoid();
    }

    private static void release(List<Lease> claimed, Uni<Void> renewal, CompletableFuture<Void> done, Throwable failure) {
        for (Lease lease : claimed) {
            synchronized (lease) {
                if (lease.renewal == renewal) {
                    lease.renewal = null;
                }
            }
        }
        if (failure != null) {
            done.completeExceptionally(failure);
        } else {
            done.complete(null);
        }
    }
}
