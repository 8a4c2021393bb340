package io.chat.api.events;

import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the tests of following a chat start from: a new application with its chat 1, whose events
 * FakeWorker commits (and publishes, or not), with this replica following the fan-out.
 */
public abstract class FollowedChatTest {

    private static final Duration SET_UP_WITHIN = Duration.ofSeconds(20);

    @Inject
    protected AgroalDataSource dataSource;

    @Inject
    protected EventFanout fanout;

    @Inject
    protected ChatStreams streams;

    protected FakeWorker worker;
    /** The application's token. */
    protected String application;
    /** Chat 1's internal id. */
    protected long chat;

    @BeforeEach
    void followChat() throws Exception {
        worker = new FakeWorker(dataSource);
        FakeWorker.Chat followed = worker.newChat();
        application = followed.token();
        chat = followed.id();
        await().atMost(SET_UP_WITHIN).until(fanout::isConnected);
    }

    @AfterEach
    void closeWorker() throws Exception {
        worker.close();
    }

    /** Until this replica has {@code count} subscribers of the chat. */
    protected void awaitSubscribed(int count) {
        await().atMost(SET_UP_WITHIN).until(() -> streams.subscribers(chat) == count);
    }
}
