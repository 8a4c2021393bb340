package io.chat.api.message.service;

import io.chat.api.chat.ChatEntity;
import io.chat.api.identity.Caller;
import io.chat.api.identity.NotYoursException;
import io.chat.api.message.MessageEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Hands out versions for edits and deletes: one short transaction that locks the chat row by
 * primary key, bumps its version and commits, before anything is published. New messages get their
 * numbers from {@link MessageNumbers}.
 */
@ApplicationScoped
@Transactional
public class MessageAllocator {

    /**
     * Where an accepted operation goes, and its place in the chat's order of operations.
     *
     * @param createdAt a new message's created_at, given under the chat's lock (never before the
     *        chat's previous message's); null for an edit or delete
     * @param current an edited or deleted message as persisted so far, if it is
     */
    public record Allocation(long applicationId, long chatId, int chatNumber, int number, long version,
            Instant createdAt, MessageEntity current) {
    }

    private final EntityManager em;

    public MessageAllocator(EntityManager em) {
        this.em = em;
    }

    /**
     * A version for an edit or delete of message {@code number}, or empty when there is no such
     * message: never handed out, or already deleted. A message accepted but not yet persisted can
     * be changed; its operations are ordered by version.
     */
    public Optional<Allocation> forChange(Caller caller, int chatNumber, int number) {
        return lockedChat(caller, chatNumber).flatMap(chat -> {
            if (number > chat.lastMessageNumber) {
                return Optional.empty();
            }
            MessageEntity current = MessageEntity.findById(key(chat.id, number));
            if (current != null && current.deleted) {
                return Optional.empty();
            }
            if (caller instanceof Caller.User user) {
                // Whose it is is known once its create is persisted; until then it reads as not there (404).
                if (current == null || !current.created) {
                    return Optional.empty();
                }
                if (!user.user().equals(current.sender)) {
                    throw new NotYoursException("A user token edits and deletes only its own user's messages");
                }
            }
            long version = chat.lastVersion + 1;
            em.createNativeQuery("UPDATE chats SET last_version = ?1 WHERE id = ?2")
                    .setParameter(1, version).setParameter(2, chat.id)
                    .executeUpdate();
            return Optional.of(new Allocation(chat.applicationId, chat.id, chatNumber, number, version, null, current));
        });
    }

    private record LockedChat(long id, long applicationId, int lastMessageNumber, long lastVersion) {
    }

    /**
     * SELECT ... FOR UPDATE on the live chat row by primary key, in plain SQL (Hibernate's MySQL
     * dialect writes FOR UPDATE OF alias, which MariaDB rejects). Only the chat row is locked, so
     * chats of one application take messages in parallel.
     */
    private Optional<LockedChat> lockedChat(Caller caller, int chatNumber) {
        Optional<Long> chatId = ChatEntity.findLive(caller, chatNumber).map(chat -> chat.id);
        if (chatId.isEmpty()) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT application_id, last_message_number, last_version"
                        + " FROM chats WHERE id = ?1 AND deleted_at IS NULL FOR UPDATE")
                .setParameter(1, chatId.get())
                .getResultList();
        return rows.stream().findFirst().map(row -> new LockedChat(chatId.get(), ((Number) row[0]).longValue(),
                ((Number) row[1]).intValue(), ((Number) row[2]).longValue()));
    }

    private static MessageEntity.Key key(long chatId, int number) {
        MessageEntity.Key key = new MessageEntity.Key();
        key.chatId = chatId;
        key.number = number;
        return key;
    }
}
