package io.chat.api.message.service;

import static io.chat.api.Fixtures.createApplication;
import static io.chat.api.Fixtures.createChat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.chat.api.error.ServiceUnavailableException;
import io.chat.api.identity.Caller;
import io.chat.common.Tokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A numbering lane that dies or hangs must not hang the creates behind it: they get a 503 within
 * the numbering timeout, and a dead lane is replaced. Each test runs its own MessageNumbers over the
 * real database, with a DataSource that fails the way a test needs.
 */
@QuarkusTest
class MessageNumbersLanesTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1_500);

    @Inject
    AgroalDataSource database;

    private MessageNumbers numbers;

    @AfterEach
    void stopLanes() {
        if (numbers != null) {
            numbers.stop(null);
        }
    }

    @Test
    void shouldFailTheBatchOfALaneKilledByAnErrorWith503AndReplaceTheLane() {
        String token = createApplication();
        createChat(token);
        AtomicInteger connections = new AtomicInteger();
        numbers = start(failing(() -> {
            if (connections.getAndIncrement() == 0) {
                throw new StackOverflowError("a lane killed by an Error");
            }
        }));

        ServiceUnavailableException refused = assertThrows(ServiceUnavailableException.class, () -> numbers.next(new Caller.Application(token), 1));
        // Failed by the dying lane, not by the timeout (whose cause would be a TimeoutException).
        assertTrue(refused.getCause() instanceof StackOverflowError, String.valueOf(refused.getCause()));

        // The dead lane is replaced (after a pause), and the lanes go on numbering.
        await().atMost(Duration.ofSeconds(10)).until(() -> numbers.lanesStarted() == MessageNumbers.LANES + 1);
        for (int expected = 1; expected <= 4; expected++) {
            assertEquals(expected, numbers.next(new Caller.Application(token), 1).orElseThrow().number());
        }
    }

    @Test
    void shouldAnswer503WithinTheTimeoutWhileEveryLaneHangsAndTakeNoNumberForIt() throws Exception {
        String token = createApplication();
        createChat(token);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger hung = new AtomicInteger();
        numbers = start(failing(() -> {
            if (hung.incrementAndGet() <= 2) { // both lanes' first connection
                release.await(1, TimeUnit.MINUTES);
            }
        }));
        // Each lane takes a request, one at a time, and hangs on it.
        Thread first = new Thread(() -> swallow(() -> numbers.next(new Caller.Application(token), 1)));
        first.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> hung.get() == 1);
        Thread second = new Thread(() -> swallow(() -> numbers.next(new Caller.Application(token), 1)));
        second.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> hung.get() == 2);

        long started = System.nanoTime();
        assertThrows(ServiceUnavailableException.class, () -> numbers.next(new Caller.Application(token), 1));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        // The bound under test, with room for a loaded machine.
        assertTrue(waited >= TIMEOUT.toMillis() - 100 && waited < TIMEOUT.toMillis() + 5_000, waited + " ms");

        release.countDown();
        first.join(10_000);
        second.join(10_000);
        // The two hung requests are numbered once the lanes go on (gaps: their callers had given up);
        // the one that timed out while queued takes no number.
        await().atMost(Duration.ofSeconds(10)).until(() -> lastMessageNumber(token) == 2);
        assertEquals(3, numbers.next(new Caller.Application(token), 1).orElseThrow().number());
    }

    private int lastMessageNumber(String token) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT c.last_message_number FROM chats c JOIN applications a ON a.id = c.application_id"
                        + " WHERE a.token_hash = ? AND c.number = 1")) {
            select.setBytes(1, Tokens.hash(token));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private MessageNumbers start(DataSource dataSource) {
        MessageNumbers started = new MessageNumbers(dataSource, new SimpleMeterRegistry(), TIMEOUT);
        started.start(null);
        return started;
    }

    interface Step {
        void run() throws Exception;
    }

    /** The real database, with {@code beforeConnecting} run ahead of each new connection. */
    private DataSource failing(Step beforeConnecting) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        beforeConnecting.run();
                    }
                    try {
                        return method.invoke(database, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void swallow(Step step) {
        try {
            step.run();
        } catch (Exception expected) {
            // the caller timed out: what the test is about
        }
    }
}
