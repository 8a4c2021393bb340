package io.chat.api.ratelimit;

import io.chat.api.config.ApiConfig;
import io.chat.api.error.Problem;
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
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Requests per application token, counted in Redis so that every replica shares one budget: a fixed
 * window that starts with an application's first request and holds {@code requests} requests.
 * Past it, 429 with Retry-After. Every answer under a token carries X-RateLimit-Limit, -Remaining
 * and -Reset. If Redis fails, requests go through: the limiter must not take the API down with it.
 */
@ApplicationScoped
public class RateLimits {

    private static final Logger LOG = Logger.getLogger(RateLimits.class);
    private static final String USAGE = RateLimits.class.getName();
    // One round trip: count the request, start the window on the first, say how long it has left.
    private static final String COUNT = """
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            local left = redis.call('PTTL', KEYS[1])
            if left < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); left = tonumber(ARGV[1]) end
            return {count, left}""";

    record Usage(int limit, long count, long millisLeft) {

        boolean exceeded() {
            return count > limit;
        }

        long secondsLeft() {
            return Math.max(1, (millisLeft + 999) / 1000);
        }

        void addHeaders(MultivaluedMap<String, Object> headers) {
            headers.putSingle("X-RateLimit-Limit", limit);
            headers.putSingle("X-RateLimit-Remaining", Math.max(0, limit - count));
            headers.putSingle("X-RateLimit-Reset", secondsLeft());
        }
    }

    private final ReactiveRedisDataSource redis;
    private final ApiConfig.RateLimit config;

    public RateLimits(ReactiveRedisDataSource redis, ApiConfig config) {
        this.redis = redis;
        this.config = config.rateLimit();
    }

    @ServerRequestFilter
    public Uni<Response> limit(ContainerRequestContext request) {
        String token = request.getUriInfo().getPathParameters().getFirst("token");
        if (token == null || config.requests() <= 0) {
            return Uni.createFrom().nullItem();
        }
        return redis.execute("EVAL", COUNT, "1", RedisKeys.rateLimit(Tokens.hashHex(token)), Long.toString(config.window().toMillis()))
                .map(counted -> {
                    Usage usage = new Usage(config.requests(), counted.get(0).toLong(), counted.get(1).toLong());
                    request.setProperty(USAGE, usage);
                    return usage.exceeded() ? tooManyRequests(usage) : null;
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

    private Response tooManyRequests(Usage usage) {
        return Problem.of("rate-limited", "Too many requests", 429, "This application made more than "
                        + usage.limit() + " requests in " + config.window().toSeconds() + " s; retry after "
                        + usage.secondsLeft() + " s")
                .toResponse()
                .header(HttpHeaders.RETRY_AFTER, usage.secondsLeft())
                .build();
    }
}
