package io.chat.api.identity;

import java.time.Instant;
import java.util.Set;

/**
 * Who a request acts for: an application by its secret token (its own servers, on the paths under
 * /applications/{token}), or one of its users by a user token (a browser or a phone, on the paths
 * under /chats). The services take either: one implementation, two ways in.
 */
public sealed interface Caller {

    /** Where the request context keeps the caller that BearerAuthentication verified. */
    String PROPERTY = Caller.class.getName();

    /** Whose Idempotency-Key space a request uses: an application's, or one user's of it. */
    String idempotencyScope();

    /** Whether this caller may reach chat {@code number} at all (a user token may be limited to some chats). */
    boolean reaches(int number);

    /** The application itself. */
    record Application(String token) implements Caller {

        @Override
        public String idempotencyScope() {
            return token;
        }

        @Override
        public boolean reaches(int number) {
            return true;
        }
    }

    /**
     * A user of the application, by a verified user token.
     *
     * @param chats the chats the token reaches, or null for every chat of the application
     * @param generation the revocation generation the token carries
     * @param expiresAt when the token expires: a long-lived connection (an event stream) ends then
     */
    record User(long applicationId, String publicId, String user, Set<Integer> chats, int generation, Instant expiresAt)
            implements Caller {

        @Override
        public String idempotencyScope() {
            return "user:" + applicationId + ":" + user;
        }

        @Override
        public boolean reaches(int number) {
            return chats == null || chats.contains(number);
        }
    }
}
