package io.chat.api.message.messaging;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The messages one channel published and the broker has not confirmed yet, by publish sequence
 * number, each with the requests it answers. One per channel: a channel that closes fails its own,
 * never those of the channel opened after it.
 */
final class Confirms {

    private final ConcurrentNavigableMap<Long, List<CompletableFuture<Void>>> unconfirmed = new ConcurrentSkipListMap<>();

    void expect(long sequence, List<CompletableFuture<Void>> requests) {
        unconfirmed.put(sequence, requests);
    }

    /** A confirm (failure null) or a nack, of one message or of every one up to {@code tag}. */
    void settle(long tag, boolean multiple, Exception failure) {
        Map<Long, List<CompletableFuture<Void>>> settled = multiple ? unconfirmed.headMap(tag, true)
                : unconfirmed.subMap(tag, true, tag, true);
        settled.values().forEach(requests -> requests.forEach(request -> {
            if (failure == null) {
                request.complete(null);
            } else {
                request.completeExceptionally(failure);
            }
        }));
        settled.clear();
    }

    /** The message will never be confirmed (returned, or its publish failed). */
    void fail(long sequence, Exception failure) {
        List<CompletableFuture<Void>> requests = unconfirmed.remove(sequence);
        if (requests != null) {
            requests.forEach(request -> request.completeExceptionally(failure));
        }
    }

    /** The channel closed: no confirm of it comes any more. */
    void failAll(Exception failure) {
        unconfirmed.values().forEach(requests -> requests.forEach(request -> request.completeExceptionally(failure)));
        unconfirmed.clear();
    }
}
