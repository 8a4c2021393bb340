package io.chat.api.chat;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

@Entity
@Table(name = "chats")
public class ChatEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "application_id")
    public long applicationId;

    public int number;

    @Column(name = "messages_count")
    public int messagesCount;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    public static Optional<ChatEntity> findLive(long applicationId, int number) {
        return find("applicationId = ?1 and number = ?2 and deletedAt is null", applicationId, number).firstResultOptional();
    }

    public Chat toView() {
        return new Chat(number, messagesCount, createdAt, updatedAt);
    }
}
