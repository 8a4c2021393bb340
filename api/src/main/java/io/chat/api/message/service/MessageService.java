package io.chat.api.message.service;

import io.chat.api.async.Futures;
import io.chat.api.cache.ListCache;
import io.chat.api.filter.FilteredMessages;
import io.chat.api.filter.MessageFilter;
import io.chat.api.identity.Caller;
import io.chat.api.identity.NotYoursException;
import io.chat.api.message.Message;
import io.chat.api.message.MessageEntity;
import io.chat.api.message.messaging.OperationPublisher;
import io.chat.api.names.LiveNames;
import io.chat.api.page.Page;
import io.chat.api.page.PageRequest;
import io.chat.api.page.Pages;
import io.chat.common.Timestamps;
import io.chat.common.cache.RedisKeys;
import io.chat.common.messaging.MessageOperation;
import io.chat.common.messaging.OperationCounters;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Accepts message operations: numbers and versions are committed first (a short locked
 * transaction, shared by concurrent creates: {@link MessageNumbers}), then the operation is published and confirmed by the broker. If the broker does not
 * confirm, the request fails with 503 and the number stays a gap: it is never handed out again.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class MessageService {

    private final MessageNumbers numbers;
    private final MessageAllocator allocator;
    private final OperationPublisher publisher;
    private final ListCache cache;
    private final Pages pages;
    private final OperationCounters accepted;
    private final FilteredMessages filtered;
    private final LiveNames names;

    public MessageService(MessageNumbers numbers, MessageAllocator allocator, OperationPublisher publisher,
            FilteredMessages filtered, ListCache cache, MeterRegistry metrics, Pages pages, LiveNames names) {
        this.names = names;
        this.numbers = numbers;
        this.allocator = allocator;
        this.publisher = publisher;
        this.filtered = filtered;
        this.cache = cache;
        this.pages = pages;
        this.accepted = new OperationCounters(metrics, "chat.message.operations.accepted",
                "Message operations the broker confirmed (answered 202)");
    }

    /**
     * A new message by {@code sender} (null: none named). A user posts as itself: a user token
     * naming another sender is refused (403).
     */
    @Transactional(Transactional.TxType.NEVER)
    public Optional<Message> create(Caller caller, int chatNumber, String body, String sender) {
        return Futures.await(createAsync(caller, chatNumber, body, sender));
    }

    /**
     * As {@link #create}, with no thread waiting: the numbering lane's commit hands it to the
     * publisher, and the broker's confirm completes it. A sender refused throws at once.
     */
    @Transactional(Transactional.TxType.NEVER)
    public CompletableFuture<Optional<Message>> createAsync(Caller caller, int chatNumber, String body, String sender) {
        if (!caller.reaches(chatNumber)) {
            // a chat outside a user token's chats is not there, whatever the sender
            return CompletableFuture.completedFuture(Optional.empty());
        }
        String author = author(caller, sender);
        return numbers.nextAsync(caller, chatNumber).thenCompose(allocated -> {
            if (allocated.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.<Message>empty());
            }
            MessageAllocator.Allocation allocation = allocated.get();
            Instant at = allocation.createdAt();
            return publishAsync(operation(MessageOperation.Type.CREATE, allocation, body, at, author))
                    .thenApply(confirmed -> Optional.of(new Message(allocation.number(), chatNumber, author, body, at, at)));
        });
    }

    /**
     * The message as it will read once the edit is applied; created_at and sender are null if its
     * create is still queued. A user may edit only its own messages (403 for another's).
     */
    @Transactional(Transactional.TxType.NEVER)
    public Optional<Message> edit(Caller caller, int chatNumber, int number, String body) {
        return allocator.forChange(caller, chatNumber, number).map(allocation -> {
            Instant now = Timestamps.now();
            publish(operation(MessageOperation.Type.UPDATE, allocation, body, now, null));
            MessageEntity current = allocation.current();
            boolean persisted = current != null && current.created;
            return new Message(number, chatNumber, persisted ? current.sender : null, body, persisted ? current.createdAt : null, now);
        });
    }

    /** A user may delete only its own messages (403 for another's). */
    @Transactional(Transactional.TxType.NEVER)
    public boolean delete(Caller caller, int chatNumber, int number) {
        return allocator.forChange(caller, chatNumber, number).map(allocation -> {
            publish(operation(MessageOperation.Type.DELETE, allocation, null, Timestamps.now(), null));
            return true;
        }).orElse(false);
    }

    public Optional<Message> find(Caller caller, int chatNumber, int number) {
        return liveChatId(caller, chatNumber)
                .flatMap(chatId -> MessageEntity.findVisible(chatId, number))
                .map(message -> message.toView(chatNumber));
    }

    /**
     * Cached, filtered or not (the page's cache key holds the filters' fingerprint): the worker moves
     * the chat's lists to a new version after every commit that touches the chat.
     */
    public Uni<Optional<String>> list(Caller caller, int chatNumber, MessageFilter filter, PageRequest page) {
        return names.chatAsync(caller, chatNumber).chain(chat -> chat.isEmpty() ? Uni.createFrom().item(Optional.<String>empty())
                : cache.json(RedisKeys.messageList(chat.get().id()), page.cacheKey(), () -> load(chat.get().id(), chatNumber, filter, page))
                        .map(Optional::of));
    }

    private Page<Message> load(long chatId, int chatNumber, MessageFilter filter, PageRequest page) {
        List<Message> messages = filtered.page(chatId, filter, page).stream().map(message -> message.toView(chatNumber)).toList();
        return pages.page(messages, page, Message::number);
    }

    private void publish(MessageOperation operation) {
        Futures.await(publishAsync(operation));
    }

    /** Publishes and counts what the broker confirmed: chat_message_operations_accepted_total{type}. */
    private CompletableFuture<Void> publishAsync(MessageOperation operation) {
        return publisher.publishAsync(operation).thenRun(() -> accepted.increment(operation.type()));
    }

    private Optional<Long> liveChatId(Caller caller, int chatNumber) {
        return names.chat(caller, chatNumber).map(LiveNames.LiveChat::id);
    }

    private static String author(Caller caller, String sender) {
        if (caller instanceof Caller.User user) {
            if (sender != null && !sender.equals(user.user())) {
                throw new NotYoursException("A user token posts as its own user: sender must be " + user.user() + " or left out");
            }
            return user.user();
        }
        return sender;
    }

    private static MessageOperation operation(MessageOperation.Type type, MessageAllocator.Allocation allocation,
            String body, Instant at, String sender) {
        return new MessageOperation(type, allocation.applicationId(), allocation.chatId(), allocation.chatNumber(),
                allocation.number(), allocation.version(), body, at.toEpochMilli(), sender);
    }
}
