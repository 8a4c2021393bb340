package io.chat.api.events;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.chat.api.Fixtures;
import io.chat.common.events.ChatEvent;
import io.chat.common.events.ChatEventFanout;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What the worker does after a commit, by hand: events appended to chat_events (with chat_streams),
 * and published to the fan-out exchange, or not (a lost fan-out message).
 */
public final class FakeWorker implements AutoCloseable {

    public static final String EXCHANGE = "chat.events.test-api";

    private final DataSource dataSource;
    private final Connection connection;
    private final Channel channel;

    public FakeWorker(DataSource dataSource) throws Exception {
        this.dataSource = dataSource;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        connection = factory.newConnection("api-test-fake-worker");
        channel = connection.createChannel();
        ChatEventFanout.declare(channel, EXCHANGE);
        channel.confirmSelect();
    }

    /** A new application with its chat 1, and that chat's internal id (which the worker knows from the operations it applies). */
    public record Chat(String token, long id) {
    }

    public Chat newChat() throws SQLException {
        String token = Fixtures.createApplication();
        Fixtures.createChat(token);
        return new Chat(token, chatId(token, 1));
    }

    private long chatId(String token, int number) throws SQLException {
        try (java.sql.Connection db = dataSource.getConnection();
                PreparedStatement select = db.prepareStatement("SELECT c.id FROM chats c JOIN applications a"
                        + " ON a.id = c.application_id WHERE a.token_hash = UNHEX(SHA2(?, 256)) AND c.number = ?")) {
            select.setString(1, token);
            select.setInt(2, number);
            try (var rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Commits {@code count} message.created events after the chat's last one: messages last + 1... */
    public List<ChatEvent> commit(long chatId, int count) throws SQLException {
        return commit(chatId, count, "x");
    }

    public List<ChatEvent> commit(long chatId, int count, String body) throws SQLException {
        try (java.sql.Connection db = dataSource.getConnection()) {
            db.setAutoCommit(false);
            long last;
            try (PreparedStatement lock = db.prepareStatement(
                    "INSERT INTO chat_streams (chat_id, last_seq) VALUES (?, 0) ON DUPLICATE KEY UPDATE last_seq = last_seq")) {
                lock.setLong(1, chatId);
                lock.executeUpdate();
            }
            try (var select = db.prepareStatement("SELECT last_seq FROM chat_streams WHERE chat_id = ?")) {
                select.setLong(1, chatId);
                try (var rows = select.executeQuery()) {
                    rows.next();
                    last = rows.getLong(1);
                }
            }
            List<ChatEvent> events = new ArrayList<>();
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO chat_events (chat_id, seq, type, number, data, created_at) VALUES (?, ?, ?, ?, ?, NOW(3))")) {
                for (int i = 1; i <= count; i++) {
                    long seq = last + i;
                    ChatEvent event = new ChatEvent(chatId, seq, ChatEvent.CREATED, (int) seq,
                            "{\"number\":" + seq + ",\"chat_number\":1,\"sender\":null,\"body\":\"" + body + "\"}");
                    insert.setLong(1, chatId);
                    insert.setLong(2, seq);
                    insert.setString(3, event.type());
                    insert.setInt(4, event.number());
                    insert.setString(5, event.data());
                    insert.addBatch();
                    events.add(event);
                }
                insert.executeBatch();
            }
            try (PreparedStatement bump = db.prepareStatement("UPDATE chat_streams SET last_seq = ? WHERE chat_id = ?")) {
                bump.setLong(1, last + count);
                bump.setLong(2, chatId);
                bump.executeUpdate();
            }
            db.commit();
            return events;
        }
    }

    public void publish(List<ChatEvent> events) throws Exception {
        channel.basicPublish(EXCHANGE, "", null, ChatEventFanout.encode(events));
        channel.waitForConfirmsOrDie(5_000);
    }

    public List<ChatEvent> commitAndPublish(long chatId, int count) throws Exception {
        List<ChatEvent> events = commit(chatId, count);
        publish(events);
        return events;
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
