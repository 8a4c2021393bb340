package io.chat.api.events;

import io.chat.api.config.ApiConfig;
import io.chat.api.error.Problem;
import io.chat.api.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many event streams one application, and one user of it, may hold open on this replica
 * (chat.events.max-per-application, max-per-user; 0: no cap). Past a cap, a new stream is refused
 * with a 429 problem; the ones open go on.
 */
@ApplicationScoped
public class StreamCaps {

    private final Map<String, Integer> open = new ConcurrentHashMap<>();
    private final int perApplication;
    private final int perUser;

    public StreamCaps(ApiConfig config) {
        this.perApplication = config.events().maxPerApplication();
        this.perUser = config.events().maxPerUser();
    }

    /**
     * A slot for one more stream, or a 429.
     *
     * @return what frees the slot when the stream ends (once, however often it is called)
     */
    public Runnable acquire(long applicationId, Caller.User user) {
        String application = "application:" + applicationId;
        String person = user == null ? null : "user:" + applicationId + ":" + user.user();
        if (!take(application, perApplication)) {
            throw tooMany("the application", perApplication);
        }
        if (person != null && !take(person, perUser)) {
            release(application);
            throw tooMany("this user", perUser);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release(application);
                if (person != null) {
                    release(person);
                }
            }
        };
    }

    /** Whether {@link #acquire} would take one more stream now. */
    public boolean admits(long applicationId, Caller.User user) {
        return below("application:" + applicationId, perApplication)
                && (user == null || below("user:" + applicationId + ":" + user.user(), perUser));
    }

    private boolean below(String key, int cap) {
        return cap == 0 || open.getOrDefault(key, 0) < cap;
    }

    private boolean take(String key, int cap) {
        boolean[] taken = new boolean[1];
        open.compute(key, (name, count) -> {
            int now = count == null ? 0 : count;
            taken[0] = cap == 0 || now < cap;
            return taken[0] ? now + 1 : count;
        });
        return taken[0];
    }

    private void release(String key) {
        open.computeIfPresent(key, (name, count) -> count <= 1 ? null : count - 1);
    }

    private static WebApplicationException tooMany(String whose, int cap) {
        return new WebApplicationException(Problem.of("too-many-streams", "Too many event streams", 429,
                "Already " + cap + " event streams open for " + whose + " on this replica; close one first").toResponse().build());
    }
}
