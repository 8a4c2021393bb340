package io.chat.api.message;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Written by the worker only; the API reads it. */
@Entity
@Table(name = "messages")
@IdClass(MessageEntity.Key.class)
public class MessageEntity extends PanacheEntityBase {

    @Id
    @Column(name = "chat_id")
    public long chatId;

    @Id
    public int number;

    public String body;

    public String sender;

    public long version;

    public boolean created;

    public boolean deleted;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static class Key implements Serializable {
        public long chatId;
        public int number;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.chatId == chatId && key.number == number;
        }

        @Override
        public int hashCode() {
            return Objects.hash(chatId, number);
        }
    }

    /** The message as clients may see it: its create applied, and not deleted. */
    public static Optional<MessageEntity> findVisible(long chatId, int number) {
        return find("chatId = ?1 and number = ?2 and created = true and deleted = false", chatId, number).firstResultOptional();
    }

    public Message toView(int chatNumber) {
        return new Message(number, chatNumber, sender, body, createdAt, updatedAt);
    }
}
