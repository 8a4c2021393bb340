package io.chat.common.search;

/** The search index of messages: its name and document ids, shared by the worker and the API. */
public final class MessageIndex {

    public static final String NAME = "chat-messages";

    /** Settings and mapping of the index, on the classpath. */
    public static final String MAPPING = "/search/chat-messages.json";

    private MessageIndex() {
    }

    public static String documentId(long chatId, int number) {
        return chatId + "-" + number;
    }
}
