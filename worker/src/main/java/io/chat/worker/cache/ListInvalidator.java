package io.chat.worker.cache;

import jakarta.enterprise.event.Observes;
import io.chat.worker.message.BatchCommitted;
import io.chat.common.cache.RedisKeys;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.function.LongFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Moves the API's cached list pages to a new version after the worker committed a change to them.
 * Redis being down never stops the worker (at most quarkus.redis.timeout per batch): the cached
 * pages then expire by themselves.
 */
@ApplicationScoped
public class ListInvalidator {

    private static final Logger LOG = Logger.getLogger(ListInvalidator.class);

    private final Redis redis;
    private final Duration timeout;

    public ListInvalidator(Redis redis, @ConfigProperty(name = "quarkus.redis.timeout") Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    /** The committed messages' lists get a new version: the API's cached pages of them are stale. */
    void committed(@Observes BatchCommitted batch) {
        bump(batch.chats(), RedisKeys::messageList);
    }

    public void chatsOf(Collection<Long> applicationIds) {
        bump(applicationIds, RedisKeys::chatList);
    }

    /** One INCR per list, all sent at once (a pipeline): one round trip for a whole batch of chats. */
    private void bump(Collection<Long> ids, LongFunction<String> list) {
        if (ids.isEmpty()) {
            return;
        }
        try {
            redis.batch(ids.stream().map(id -> Request.cmd(Command.INCR).arg(RedisKeys.listVersion(list.apply(id)))).toList())
                    .await().atMost(timeout);
        } catch (RuntimeException e) {
            LOG.warnf("could not invalidate cached lists (they expire by themselves): %s", e.getMessage());
        }
    }
}
