package io.chat.api.events;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chat.api.config.ApiConfig;
import io.chat.api.identity.Caller;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The caps count every replica's streams, through the real Redis: this replica's StreamCaps and a
 * second one standing for another replica (max-per-user 3, max-per-application 20 in tests). A
 * replica that stops writing stops counting after three heartbeats (1 s in tests).
 */
@QuarkusTest
class StreamCapsTest {

    @Inject
    StreamCaps here;

    @Inject
    RedisDataSource redis;

    @Inject
    ReactiveRedisDataSource reactive;

    @Inject
    ApiConfig config;

    private StreamCaps other;
    private long application;
    private Caller.User user;

    @BeforeEach
    void setUp() {
        other = new StreamCaps(redis, reactive, config);
        application = ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50);
        user = new Caller.User(application, "app_test", "u1", null, 0, Instant.now().plusSeconds(600));
        other.heartbeat();
        here.heartbeat(); // it now knows the other replica is alive
    }

    @Test
    void shouldCapAUsersStreamsOnAllReplicasTogether() {
        here.acquire(application, user);
        here.acquire(application, user);
        Runnable onTheOther = other.acquire(application, user);
        assertEquals(429, refused(() -> here.acquire(application, user)));
        assertEquals(429, refused(() -> other.acquire(application, user)));
        assertFalse(here.admits(application, user));
        assertTrue(here.admits(application, null), "the application's own streams are below its cap");

        onTheOther.run();
        onTheOther.run(); // freed once, however often
        assertTrue(here.admits(application, user));
        here.acquire(application, user);
        assertEquals(429, refused(() -> other.acquire(application, user)));
    }

    @Test
    void shouldCapAnApplicationsStreamsOnAllReplicasTogether() {
        List<Runnable> slots = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            slots.add(here.acquire(application, null));
            slots.add(other.acquire(application, null));
        }
        assertEquals(429, refused(() -> here.acquire(application, null)));
        assertEquals(429, refused(() -> other.acquire(application, null)));
        slots.get(0).run();
        other.acquire(application, null);
    }

    @Test
    void shouldStopCountingTheStreamsOfAReplicaThatStoppedWriting() {
        for (int i = 0; i < 3; i++) {
            other.acquire(application, user);
        }
        assertFalse(here.admits(application, user));
        // The other replica never writes again (its heartbeat never runs): its time runs out.
        await().atMost(Duration.ofSeconds(10)).until(() -> here.admits(application, user));
        here.acquire(application, user);
    }

    private static int refused(Runnable acquire) {
        return assertThrows(WebApplicationException.class, acquire::run).getResponse().getStatus();
    }
}
