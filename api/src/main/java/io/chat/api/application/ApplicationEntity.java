package io.chat.api.application;

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
@Table(name = "applications")
public class ApplicationEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** SHA-256 of the token; the token itself is not stored. */
    @Column(name = "token_hash")
    public byte[] tokenHash;

    /** Names the application in its users' tokens: public, unlike the token; not the internal id either. */
    @Column(name = "public_id")
    public String publicId;

    public String name;

    @Column(name = "chats_count")
    public int chatsCount;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "deleted_at")
    public Instant deletedAt;

    public static Optional<ApplicationEntity> findLive(String token) {
        return find("tokenHash = ?1 and deletedAt is null", Tokens.hash(token)).firstResultOptional();
    }

    public static Optional<Long> findLiveId(String token) {
        return getEntityManager()
                .createQuery("select a.id from ApplicationEntity a where a.tokenHash = ?1 and a.deletedAt is null", Long.class)
                .setParameter(1, Tokens.hash(token))
                .getResultStream()
                .findFirst();
    }

    public Application toView(String token) {
        return new Application(token, name, chatsCount, createdAt, updatedAt);
    }
}
