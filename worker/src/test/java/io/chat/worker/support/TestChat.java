package io.chat.worker.support;

import io.chat.common.messaging.MessageOperation;
import java.sql.SQLException;

/** A fresh application with one chat, and operations on that chat's messages as the API sends them. */
public record TestChat(String token, long application, long chat) {

    public static TestChat create(Database db) throws SQLException {
        String token = Database.randomToken();
        long application = db.insertApplication(token);
        return new TestChat(token, application, db.insertChat(application, 1));
    }

    public MessageOperation operation(MessageOperation.Type type, int number, long version, String body) {
        return operation(type, number, version, body, null);
    }

    public MessageOperation operation(MessageOperation.Type type, int number, long version, String body, String sender) {
        return new MessageOperation(type, application, chat, 1, number, version, body, System.currentTimeMillis(), sender);
    }
}
