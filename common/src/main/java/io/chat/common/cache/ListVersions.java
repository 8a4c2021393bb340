package io.chat.common.cache;

/**
 * Names of the Redis counters that version cached list pages. The API bumps a chat list when it
 * creates or deletes a chat; the worker bumps a message list after it commits messages, and a
 * chat list after it recounts messages_count.
 */
public final class ListVersions {

    private ListVersions() {
    }

    public static String chats(long applicationId) {
        return "chats:" + applicationId;
    }

    public static String messages(long chatId) {
        return "messages:" + chatId;
    }

    public static String key(String list) {
        return "chat:list-version:" + list;
    }
}
