package io.chat.api.application.service;

import io.chat.api.application.Application;
import io.chat.api.application.ApplicationEntity;
import io.chat.common.Timestamps;
import io.chat.common.Tokens;
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
        String token = tokens.next();
        application.tokenHash = Tokens.hash(token);
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

    /** Answers 404 from now on; the worker purges the chats and messages in the background. */
    @Transactional
    public boolean delete(String token) {
        return ApplicationEntity.update("deletedAt = ?1 where tokenHash = ?2 and deletedAt is null", Timestamps.now(),
                Tokens.hash(token)) == 1;
    }
}
