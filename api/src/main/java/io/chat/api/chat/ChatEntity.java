package io.chat.api.chat;

import io.chat.api.identity.Caller;
import io.chat.common.Tokens;
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

    /**
     * The live chat of a live application, named as the caller names it, if the caller reaches it:
     * one query on the hot path.
     */
    public static Optional<ChatEntity> findLive(Caller caller, int number) {
        if (!caller.reaches(number)) {
            return Optional.empty();
        }
        if (caller instanceof Caller.User user) {
            return getEntityManager()
                    .createQuery("select c from ChatEntity c, ApplicationEntity a where a.id = c.applicationId"
                            + " and a.id = ?1 and a.deletedAt is null and c.number = ?2 and c.deletedAt is null", ChatEntity.class)
                    .setParameter(1, user.applicationId())
                    .setParameter(2, number)
                    .getResultStream()
                    .findFirst();
        }
        return findLive(((Caller.Application) caller).token(), number);
    }

    private static Optional<ChatEntity> findLive(String token, int number) {
        return getEntityManager()
                .createQuery("select c from ChatEntity c, ApplicationEntity a where a.id = c.applicationId"
                        + " and a.tokenHash = ?1 and a.deletedAt is null and c.number = ?2 and c.deletedAt is null", ChatEntity.class)
                .setParameter(1, Tokens.hash(token))
                .setParameter(2, number)
                .getResultStream()
                .findFirst();
    }

    public Chat toView() {
        return new Chat(number, messagesCount, createdAt, updatedAt);
    }
}
