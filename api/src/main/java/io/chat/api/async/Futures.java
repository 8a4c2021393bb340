package io.chat.api.async;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** For code that still waits on a thread of its own for what the non-blocking paths compose. */
public final class Futures {

    private Futures() {
    }

    /** The future's value; its failure thrown as it is (a 503 stays a 503), not wrapped in a CompletionException. */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
