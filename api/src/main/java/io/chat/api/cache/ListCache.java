package io.chat.api.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.api.config.ApiConfig;
import io.chat.api.page.Page;
import io.chat.common.cache.RedisKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ReactiveValueCommands;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Redis cache of list pages. Each list (the chats of an application, the messages of a chat) has a
 * version counter that writers bump after they commit; pages are cached under the version read
 * before the database was read. A write therefore moves readers to a new key at once, and a page
 * refilled from data read before the write can only land under the old version, which nobody reads
 * any more. Entries expire. If Redis fails, reads go to the database: slower, never an error.
 */
@ApplicationScoped
public class ListCache {

    private static final Logger LOG = Logger.getLogger(ListCache.class);

    private final ValueCommands<String, String> values;
    private final ReactiveRedisDataSource reactive;
    /** The reactive client has no timeout of its own (quarkus.redis.timeout bounds blocking calls): this, as theirs. */
    private final Duration timeout;
    private final ObjectMapper json;
    private final Duration ttl;

    public ListCache(RedisDataSource redis, ReactiveRedisDataSource reactive, ObjectMapper json, ApiConfig config,
            @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "2s") Duration timeout) {
        this.values = redis.value(String.class);
        this.reactive = reactive;
        this.timeout = timeout;
        this.json = json;
        this.ttl = config.cache().ttl();
    }

    public <T> Page<T> get(String list, String page, TypeReference<Page<T>> type, Supplier<Page<T>> load) {
        String key;
        try {
            key = RedisKeys.listPage(list, version(list), page);
            String cached = values.get(key);
            if (cached != null) {
                return json.readValue(cached, type);
            }
        } catch (Exception e) {
            LOG.debugf("list cache unavailable, reading the database: %s", e.getMessage());
            return load.get();
        }
        Page<T> loaded = load.get();
        store(key, write(loaded));
        return loaded;
    }

    /**
     * As {@link #get}, with no thread waiting on Redis, and as the JSON the page is written in: a page
     * found is answered as Redis holds it, never parsed. A page not found is loaded on a worker thread.
     */
    public Uni<String> json(String list, String page, Supplier<? extends Page<?>> load) {
        ReactiveValueCommands<String, String> cached = reactive.value(String.class);
        return cached.get(RedisKeys.listVersion(list))
                .chain(version -> {
                    String key = RedisKeys.listPage(list, version == null ? "0" : version, page);
                    return cached.get(key).map(found -> new Lookup(key, found));
                })
                .ifNoItem().after(timeout).fail()
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("list cache unavailable, reading the database: %s", failure.getMessage());
                    return new Lookup(null, null);
                })
                .chain(lookup -> lookup.found() != null ? Uni.createFrom().item(lookup.found())
                        : Uni.createFrom().item(() -> write(load.get())).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                                .call(loaded -> lookup.key() == null ? Uni.createFrom().voidItem()
                                        : cached.set(lookup.key(), loaded, new SetArgs().px(ttl.toMillis()))
                                                .ifNoItem().after(timeout).fail().onFailure().recoverWithItem(failure -> {
                                            LOG.debugf("list cache unavailable, page not stored: %s", failure.getMessage());
                                            return null;
                                        })));
    }

    /** Where a page is cached, and what was found there (null: nothing, or Redis failed and key is null too). */
    private record Lookup(String key, String found) {
    }

    private void store(String key, String page) {
        try {
            values.set(key, page, new SetArgs().px(ttl.toMillis()));
        } catch (Exception e) {
            LOG.debugf("list cache unavailable, page not stored: %s", e.getMessage());
        }
    }

    private String write(Page<?> page) {
        try {
            return json.writeValueAsString(page);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a page is always serializable", e);
        }
    }

    /** After a commit that changes the list: readers move to a new version. */
    public void invalidate(String list) {
        try {
            values.incr(RedisKeys.listVersion(list));
        } catch (Exception e) {
            LOG.warnf("could not invalidate the cached list %s (entries expire in %s): %s", list, ttl, e.getMessage());
        }
    }

    private String version(String list) {
        String version = values.get(RedisKeys.listVersion(list));
        return version == null ? "0" : version;
    }
}
