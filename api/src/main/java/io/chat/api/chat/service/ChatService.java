package io.chat.api.chat.service;

import com.fasterxml.jackson.core.type.TypeReference;
import io.chat.api.application.ApplicationEntity;
import io.chat.api.cache.ListCache;
import io.chat.api.chat.Chat;
import io.chat.api.chat.ChatEntity;
import io.chat.api.identity.Caller;
import io.chat.api.names.LiveNames;
import io.chat.api.page.Page;
import io.chat.api.page.PageRequest;
import io.chat.api.page.Pages;
import io.chat.api.persistence.AfterCommit;
import io.chat.common.Timestamps;
import io.chat.common.cache.RedisKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ChatService {

    private static final TypeReference<Page<Chat>> PAGE_OF_CHATS = new TypeReference<>() {
    };

    private final EntityManager em;
    private final ListCache cache;
    private final AfterCommit afterCommit;
    private final Pages pages;
    private final LiveNames names;

    public ChatService(EntityManager em, ListCache cache, AfterCommit afterCommit, Pages pages, LiveNames names) {
        this.names = names;
        this.em = em;
        this.cache = cache;
        this.afterCommit = afterCommit;
        this.pages = pages;
    }

    /**
     * One short transaction: lock the application row by primary key, bump its last chat number,
     * insert the chat. Concurrent creations queue on that row lock, so each gets its own number; a
     * number is never reused because last_chat_number only grows.
     */
    @Transactional
    public Optional<Chat> create(String token) {
        Optional<Long> applicationId = ApplicationEntity.findLiveId(token);
        if (applicationId.isEmpty()) {
            return Optional.empty();
        }
        Optional<Integer> last = lockLiveApplication(applicationId.get());
        if (last.isEmpty()) {
            return Optional.empty(); // deleted between the lookup and the lock
        }
        int number = last.get() + 1;
        em.createNativeQuery("UPDATE applications SET last_chat_number = ?1, chats_count = chats_count + 1 WHERE id = ?2")
                .setParameter(1, number)
                .setParameter(2, applicationId.get())
                .executeUpdate();
        ChatEntity chat = new ChatEntity();
        chat.applicationId = applicationId.get();
        chat.number = number;
        chat.createdAt = chat.updatedAt = Timestamps.now();
        chat.persist();
        invalidateListAfterCommit(applicationId.get());
        return Optional.of(chat.toView());
    }

    public Optional<Chat> find(Caller caller, int number) {
        return ChatEntity.findLive(caller, number).map(ChatEntity::toView);
    }

    public Optional<Page<Chat>> list(String token, PageRequest page) {
        return names.applicationId(token).map(applicationId ->
                cache.get(RedisKeys.chatList(applicationId), page.cacheKey(), PAGE_OF_CHATS, () -> load(applicationId, page)));
    }

    private Page<Chat> load(long applicationId, PageRequest page) {
        List<Chat> chats = em.createQuery("from ChatEntity where applicationId = :application and deletedAt is null and "
                        + page.keyset("number"), ChatEntity.class)
                .setParameter("application", applicationId)
                .setParameter("after", page.boundary())
                .setMaxResults(page.fetchSize())
                .getResultStream()
                .map(ChatEntity::toView)
                .toList();
        return pages.page(chats, page, Chat::number);
    }

    /**
     * Marks the chat deleted and lowers the application's count, under the application row lock
     * that creation takes first too (one lock order, no deadlock). The worker purges the messages.
     */
    @Transactional
    public boolean delete(String token, int number) {
        Optional<Long> applicationId = ApplicationEntity.findLiveId(token);
        if (applicationId.isEmpty() || lockLiveApplication(applicationId.get()).isEmpty()) {
            return false;
        }
        Instant now = Timestamps.now();
        int deleted = ChatEntity.update("deletedAt = ?1, updatedAt = ?1 where applicationId = ?2 and number = ?3 and deletedAt is null",
                now, applicationId.get(), number);
        if (deleted == 1) {
            em.createNativeQuery("UPDATE applications SET chats_count = chats_count - 1 WHERE id = ?1")
                    .setParameter(1, applicationId.get())
                    .executeUpdate();
            invalidateListAfterCommit(applicationId.get());
            afterCommit.run(names::deleted);
        }
        return deleted == 1;
    }

    private void invalidateListAfterCommit(long applicationId) {
        afterCommit.run(() -> cache.invalidate(RedisKeys.chatList(applicationId)));
    }

    /**
     * SELECT ... FOR UPDATE on the live application row by primary key, in plain SQL: Hibernate's
     * MySQL dialect writes FOR UPDATE OF alias, which MariaDB rejects. Returns its last chat number.
     */
    private Optional<Integer> lockLiveApplication(long applicationId) {
        return em.createNativeQuery("SELECT last_chat_number FROM applications WHERE id = ?1 AND deleted_at IS NULL FOR UPDATE", Integer.class)
                .setParameter(1, applicationId)
                .getResultStream()
                .findFirst();
    }
}
