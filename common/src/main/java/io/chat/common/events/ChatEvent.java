package io.chat.common.events;

/**
 * A persisted event of one chat: a visible change of one of its messages.
 *
 * @param seq the event's place in the chat's stream: 1, 2, 3... in commit order, with no gap
 * @param type {@link #CREATED}, {@link #UPDATED} or {@link #DELETED}
 * @param data the event's data as JSON text: the Message, or {"number", "chat_number"} of a deleted one
 */
public record ChatEvent(long chatId, long seq, String type, int number, String data) {

    public static final String CREATED = "message.created";
    public static final String UPDATED = "message.updated";
    public static final String DELETED = "message.deleted";
}
