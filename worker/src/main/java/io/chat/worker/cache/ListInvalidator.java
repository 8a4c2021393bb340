package io.chat.worker.cache;

import io.chat.common.cache.ListVersions;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.function.LongFunction;
import org.jboss.logging.Logger;

/**
 * Moves the API's cached list pages to a new version after the worker committed a change to them.
 * Redis being down never stops the worker: the cached pages then expire by themselves.
 */
@ApplicationScoped
public class ListInvalidator {

    private static final Logger LOG = Logger.getLogger(ListInvalidator.class);

    private final ValueCommands<String, Long> versions;

    public ListInvalidator(RedisDataSource redis) {
        this.versions = redis.value(Long.class);
    }

    public void messagesOf(Collection<Long> chatIds) {
        bump(chatIds, ListVersions::messages);
    }

    public void chatsOf(Collection<Long> applicationIds) {
        bump(applicationIds, ListVersions::chats);
    }

    private void bump(Collection<Long> ids, LongFunction<String> list) {
        try {
            for (long id : ids) {
                versions.incr(ListVersions.key(list.apply(id)));
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not invalidate cached lists (they expire by themselves): %s", e.getMessage());
        }
    }
}
