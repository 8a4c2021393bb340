package io.chat.api.application.service;

import io.chat.api.application.Application;
import io.chat.api.application.ApplicationEntity;
import io.chat.common.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ApplicationService {

    private final TokenGenerator tokens;

    public ApplicationService(TokenGenerator tokens) {
        this.tokens = tokens;
    }

    @Transactional
    public Application create(String name) {
        var now = Timestamps.now();
        ApplicationEntity application = new ApplicationEntity();
        application.token = tokens.next();
        application.name = name;
        application.createdAt = now;
        application.updatedAt = now;
        application.persist();
        return application.toView();
    }

    public Optional<Application> find(String token) {
        return ApplicationEntity.findLive(token).map(ApplicationEntity::toView);
    }

    @Transactional
    public Optional<Application> rename(String token, String name) {
        return ApplicationEntity.findLive(token).map(application -> {
            application.name = name;
            application.updatedAt = Timestamps.now();
            return application.toView();
        });
    }

    /** Answers 404 from now on; the worker purges the chats and messages in the background. */
    @Transactional
    public boolean delete(String token) {
        return ApplicationEntity.update("deletedAt = ?1 where token = ?2 and deletedAt is null", Timestamps.now(), token) == 1;
    }
}
