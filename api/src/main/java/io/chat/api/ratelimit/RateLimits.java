package io.chat.api.ratelimit;

import io.chat.api.config.ApiConfig;
import io.chat.api.error.Problem;
import io.chat.api.identity.Caller;
import io.chat.common.Tokens;
import io.chat.common.cache.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Requests per application, counted in Redis so that every replica shares one budget: a fixed window
 * that starts with the first request and holds {@code requests} requests. A replica takes its places
 * in a window a few at a time ({@link Leases}: no Redis call for most requests), so that fewer than
 * the limit may go through, by a documented margin, and never more. Under a token, the budget
 * is the application's; with a user token (the client paths), the application's users share one such
 * budget and each user also has {@code user-requests}. Past any, 429 with Retry-After. Every counted
 * answer carries X-RateLimit-Limit, -Remaining and -Reset, of the budget closest to its end. If Redis
 * fails, requests go through: the limiter must not take the API down with it.
 */
@ApplicationScoped
public class RateLimits {

    private static final Logger LOG = Logger.getLogger(RateLimits.class);
    private static final String USAGE = RateLimits.class.getName();
    record Budget(String key, int limit) {
    }

    record Usage(int limit, long count, long millisLeft) {

        boolean exceeded() {
            return count > limit;
        }

        long remaining() {
            return Math.max(0, limit - count);
        }

        long secondsLeft() {
            return Math.max(1, (millisLeft + 999) / 1000);
        }

        void addHeaders(MultivaluedMap<String, Object> headers) {
            headers.putSingle("X-RateLimit-Limit", limit);
            headers.putSingle("X-RateLimit-Remaining", remaining());
            headers.putSingle("X-RateLimit-Reset", secondsLeft());
        }
    }

    private final ApiConfig.RateLimit config;
    private final Leases leases;

    public RateLimits(ReactiveRedisDataSource redis, ApiConfig config,
            @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "2s") Duration redisTimeout) {
        this.config = config.rateLimit();
        this.leases = new Leases(redis, this.config.window(), redisTimeout);
    }

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext request) {
        Caller.User user = request.getProperty(Caller.PROPERTY) instanceof Caller.User verified ? verified : null;
        return count(budgets(request.getUriInfo().getPathParameters().getFirst("token"), user)).map(usage -> {
            if (usage == null) {
                return null;
            }
            request.setProperty(USAGE, usage);
            return usage.exceeded() ? tooManyRequests(usage) : null;
        });
    }

    /**
     * What a socket asks for outside Quarkus REST (its upgrade, a message posted over it), counted as
     * a request of {@code caller} would be: a 429 problem past a budget, else null (also when Redis fails).
     */
    public Uni<Refusal> count(Caller caller) {
        String token = caller instanceof Caller.Application application ? application.token() : null;
        Caller.User user = caller instanceof Caller.User verified ? verified : null;
        return count(budgets(token, user)).map(usage -> usage != null && usage.exceeded() ? new Refusal(problem(usage), usage.secondsLeft()) : null);
    }

    /** Past a budget: the 429 problem, and the Retry-After it goes with. */
    public record Refusal(Problem problem, long retryAfterSeconds) {
    }

    /** The budget exceeded, if any, else the one closest to its end; null without budgets or if Redis failed. */
    private Uni<Usage> count(List<Budget> budgets) {
        if (budgets.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return leases.take(budgets)
                .map(usages -> {
                    Usage exceeded = usages.stream().filter(Usage::exceeded).findFirst().orElse(null);
                    return exceeded != null ? exceeded : usages.stream().min(Comparator.comparingLong(Usage::remaining)).orElseThrow();
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("rate limit not checked, Redis failed: %s", failure.getMessage());
                    return null;
                });
    }

    @ServerResponseFilter
    public void addHeaders(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(USAGE) instanceof Usage usage) {
            usage.addHeaders(response.getHeaders());
        }
    }

    /** What a request counts against: its application's budget under a token, its users' and its user's with a user token. */
    private List<Budget> budgets(String token, Caller.User user) {
        List<Budget> budgets = new ArrayList<>();
        if (token != null && config.requests() > 0) {
            budgets.add(new Budget(RedisKeys.rateLimit(Tokens.hashHex(token)), config.requests()));
        }
        if (user != null) {
            if (config.requests() > 0) {
                budgets.add(new Budget(RedisKeys.usersRateLimit(user.publicId()), config.requests()));
            }
            if (config.userRequests() > 0) {
                budgets.add(new Budget(RedisKeys.userRateLimit(user.publicId(), user.user()), config.userRequests()));
            }
        }
        return budgets;
    }

    private Problem problem(Usage usage) {
        return Problem.of("rate-limited", "Too many requests", 429, "More than " + usage.limit() + " requests in "
                + config.window().toSeconds() + " s; retry after " + usage.secondsLeft() + " s");
    }

    private Response tooManyRequests(Usage usage) {
        return problem(usage)
                .toResponse()
                .header(HttpHeaders.RETRY_AFTER, usage.secondsLeft())
                .build();
    }
}
