package io.chat.api.application.service;

import io.chat.api.application.Application;
import io.chat.api.application.ApplicationEntity;
import io.chat.api.identity.Revocations;
import io.chat.api.names.LiveNames;
import io.chat.api.persistence.AfterCommit;
import io.chat.common.Timestamps;
import io.chat.common.Tokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ApplicationService {

    private final TokenGenerator tokens;
    private final Revocations revocations;
    private final AfterCommit afterCommit;
    private final LiveNames names;

    public ApplicationService(TokenGenerator tokens, Revocations revocations, AfterCommit afterCommit, LiveNames names) {
        this.names = names;
        this.tokens = tokens;
        this.revocations = revocations;
        this.afterCommit = afterCommit;
    }

    @Transactional
    public Application create(String name) {
        var now = Timestamps.now();
        ApplicationEntity application = new ApplicationEntity();
        String token = tokens.next();
        application.tokenHash = Tokens.hash(token);
        application.publicId = tokens.nextPublicId();
        application.name = name;
        application.createdAt = now;
        application.updatedAt = now;
        application.persist();
        return application.toView(token);
    }

    public Optional<Application> find(String token) {
        return ApplicationEntity.findLive(token).map(application -> application.toView(token));
    }

    @Transactional
    public Optional<Application> rename(String token, String name) {
        return ApplicationEntity.findLive(token).map(application -> {
            application.name = name;
            application.updatedAt = Timestamps.now();
            return application.toView(token);
        });
    }

    /**
     * Answers 404 from now on, and its users' tokens 401; the worker purges the chats and messages in
     * the background.
     */
    @Transactional
    public boolean delete(String token) {
        Optional<ApplicationEntity> application = ApplicationEntity.findLive(token);
        if (application.isEmpty() || ApplicationEntity.update("deletedAt = ?1 where id = ?2 and deletedAt is null", Timestamps.now(),
                application.get().id) != 1) {
            return false;
        }
        afterCommit.run(names::deleted);
        String publicId = application.get().publicId;
        if (publicId != null) { // without one, it never minted a user token
            revocations.applicationDeleting(publicId);
            afterCommit.run(() -> revocations.applicationDeleted(publicId));
        }
        return true;
    }
}
