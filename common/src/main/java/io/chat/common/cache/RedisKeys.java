package io.chat.common.cache;

/**
 * Every Redis key of the system, in one place: the API and the worker share a Redis, and the list
 * versions are written by one and read by the other. Keys hold ids and hashes, never a token.
 */
public final class RedisKeys {

    private static final String PREFIX = "chat:";

    private RedisKeys() {
    }

    /** The cached list of an application's chats: its version moves when a chat is created or deleted, or recounted. */
    public static String chatList(long applicationId) {
        return "chats:" + applicationId;
    }

    /** The cached list of a chat's messages: its version moves after the worker committed messages. */
    public static String messageList(long chatId) {
        return "messages:" + chatId;
    }

    /** The version counter of a list ({@link #chatList} or {@link #messageList}). */
    public static String listVersion(String list) {
        return PREFIX + "list-version:" + list;
    }

    /** One cached page of a list, under the list version it was read at. */
    public static String listPage(String list, String version, String page) {
        return PREFIX + "list:" + list + ":" + version + ":" + page;
    }

    /** An application's request counter of the current rate-limit window. */
    public static String rateLimit(String tokenHashHex) {
        return PREFIX + "rate:" + tokenHashHex;
    }

    /** For user tokens: an application's internal id, by its public id, or "deleted". */
    public static String userTokenApplication(String publicId) {
        return PREFIX + "user-token-application:" + publicId;
    }

    /** For user tokens: the generation a user's tokens must carry (revoking them bumps it). */
    public static String userTokenGeneration(String publicId, String user) {
        return PREFIX + "user-token-generation:" + publicId + ":" + user;
    }

    /** A user's request counter of the current rate-limit window. */
    public static String userRateLimit(String publicId, String user) {
        return PREFIX + "rate-user:" + publicId + ":" + user;
    }

    /** The request counter of all of an application's users together, in the current window. */
    public static String usersRateLimit(String publicId) {
        return PREFIX + "rate-users:" + publicId;
    }

    /**
     * The API replicas with members in a chat: a sorted set of replica ids, scored by the time until
     * which each counts as alive. The chat's id is a hash tag: all of a chat's member keys are in one
     * slot of a cluster, as the scripts that read them together need.
     */
    public static String memberReplicas(long chatId) {
        return PREFIX + "members:{" + chatId + "}:replicas";
    }

    /** Followed by a replica's id: that replica's members of the chat, a hash of user to "connections:since". */
    public static String memberHashPrefix(long chatId) {
        return PREFIX + "members:{" + chatId + "}:replica:";
    }

    /** The API replicas that count their event streams against the caps, scored by the time until which each is alive. */
    public static String streamReplicas() {
        return PREFIX + "stream-replicas";
    }

    /** An application's open event streams, a field per replica; its hash tag keeps it in its users' slot. */
    public static String applicationStreams(long applicationId) {
        return PREFIX + "streams:{" + applicationId + "}";
    }

    /** A user's open event streams, a field per replica. */
    public static String userStreams(long applicationId, String user) {
        return PREFIX + "streams:{" + applicationId + "}:user:" + user;
    }

    /** What a request with an Idempotency-Key claimed, and then answered. */
    public static String idempotency(String keyHashHex) {
        return PREFIX + "idempotency:" + keyHashHex;
    }
}
