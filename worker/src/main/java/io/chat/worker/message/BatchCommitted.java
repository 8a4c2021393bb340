package io.chat.worker.message;

import io.chat.common.events.ChatEvent;
import java.util.List;
import java.util.Set;

/**
 * A batch of operations is committed: its messages, their search outbox rows and their events are
 * in MySQL. Fired synchronously on the consumer's thread after each commit; what follows a commit
 * (waking the indexer, counts, cached lists, publishing the events) observes it. An observer must
 * not throw: the commit stands whatever it does, and each of them recovers by itself (the outbox,
 * the periodic recount, the cache's expiry, a subscriber filling its gap from chat_events).
 *
 * @param chats the chats written to
 * @param events the events appended, in each chat's order
 */
public record BatchCommitted(Set<Long> chats, List<ChatEvent> events) {
}
