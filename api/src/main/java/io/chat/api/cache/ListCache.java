package io.chat.api.cache;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.api.config.ApiConfig;
import io.chat.api.page.Page;
import io.chat.common.cache.RedisKeys;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
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
    private final ObjectMapper json;
    private final Duration ttl;

    public ListCache(RedisDataSource redis, ObjectMapper json, ApiConfig config) {
        this.values = redis.value(String.class);
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
        try {
            values.set(key, json.writeValueAsString(loaded), new SetArgs().px(ttl.toMillis()));
        } catch (Exception e) {
            LOG.debugf("list cache unavailable, page not stored: %s", e.getMessage());
        }
        return loaded;
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
