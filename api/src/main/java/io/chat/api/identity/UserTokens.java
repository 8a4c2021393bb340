package io.chat.api.identity;

import io.chat.api.application.ApplicationEntity;
import io.chat.api.application.service.TokenGenerator;
import io.chat.api.config.ApiConfig;
import io.chat.api.persistence.AfterCommit;
import io.chat.common.Timestamps;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Mints and revokes user tokens: JWTs signed with the configured key (SmallRye JWT), which name the
 * application by its public id (claim app), the user (sub), the chats it reaches (chats, or none:
 * every chat), and the user's revocation generation (gen). Revoking bumps the generation: every
 * token minted before stops working at once, on every replica (Revocations).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class UserTokens {

    public static final String APPLICATION_CLAIM = "app";
    public static final String CHATS_CLAIM = "chats";
    public static final String GENERATION_CLAIM = "gen";

    /** A token as the application gets it. */
    public record Issued(String token, String user, Instant expiresAt, List<Integer> chats) {
    }

    private final EntityManager em;
    private final Revocations revocations;
    private final AfterCommit afterCommit;
    private final TokenGenerator ids;
    private final ApiConfig.UserTokens config;

    public UserTokens(EntityManager em, Revocations revocations, AfterCommit afterCommit, TokenGenerator ids, ApiConfig config) {
        this.em = em;
        this.revocations = revocations;
        this.afterCommit = afterCommit;
        this.ids = ids;
        this.config = config.userTokens();
    }

    /**
     * A token for {@code user} of the application {@code token}, or empty when there is no such
     * application. An application made before user tokens existed gets its public id now.
     */
    @Transactional
    public Optional<Issued> mint(String token, String user, Duration lifetime, List<Integer> chats) {
        return ApplicationEntity.findLive(token).map(application -> {
            String publicId = application.publicId != null ? application.publicId : assignPublicId(application.id);
            Instant now = Timestamps.now();
            Instant expiresAt = now.plus(lifetime);
            JwtClaimsBuilder claims = Jwt.issuer(config.issuer())
                    .subject(user)
                    .issuedAt(now)
                    .expiresAt(expiresAt)
                    .claim(APPLICATION_CLAIM, publicId)
                    .claim(GENERATION_CLAIM, generation(application.id, user));
            if (chats != null) {
                claims.claim(CHATS_CLAIM, chats);
            }
            return new Issued(claims.sign(), user, expiresAt, chats);
        });
    }

    /**
     * Every token of {@code user} minted so far stops working; false when there is no such
     * application. The new generation reaches Redis before the commit: if it cannot, nothing is revoked (503).
     */
    @Transactional
    public boolean revoke(String token, String user) {
        return ApplicationEntity.findLive(token).map(application -> {
            em.createNativeQuery("INSERT INTO user_token_generations (application_id, user_id, generation, updated_at)"
                            + " VALUES (?1, ?2, 1, ?3) ON DUPLICATE KEY UPDATE generation = generation + 1, updated_at = ?3")
                    .setParameter(1, application.id)
                    .setParameter(2, user)
                    .setParameter(3, Timestamps.toSql(Timestamps.now()))
                    .executeUpdate();
            if (application.publicId != null) { // without one, it never minted a token
                revocations.revoked(application.publicId, user, generation(application.id, user));
                afterCommit.onRollback(() -> revocations.revocationUndone(application.publicId, user));
            }
            return true;
        }).orElse(false);
    }

    /** Under the row's lock, so that two first mints at once agree on one id. */
    private String assignPublicId(long applicationId) {
        Object current = em.createNativeQuery("SELECT public_id FROM applications WHERE id = ?1 FOR UPDATE")
                .setParameter(1, applicationId)
                .getSingleResult();
        if (current != null) {
            return (String) current;
        }
        String publicId = ids.nextPublicId();
        em.createNativeQuery("UPDATE applications SET public_id = ?1 WHERE id = ?2")
                .setParameter(1, publicId)
                .setParameter(2, applicationId)
                .executeUpdate();
        return publicId;
    }

    private int generation(long applicationId, String user) {
        List<?> rows = em.createNativeQuery("SELECT generation FROM user_token_generations WHERE application_id = ?1 AND user_id = ?2")
                .setParameter(1, applicationId)
                .setParameter(2, user)
                .getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).intValue();
    }
}
