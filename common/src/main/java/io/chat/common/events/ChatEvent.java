package io.chat.common.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An event of one chat. A persisted one is a visible change of one of its messages, with its place
 * in the chat's stream; an ephemeral one (a member joining or leaving, someone typing) has none: it
 * is never stored and never replayed.
 *
 * @param seq the event's place in the chat's stream: 1, 2, 3... in commit order, with no gap; 0 for
 *        an ephemeral event
 * @param type {@link #CREATED}, {@link #UPDATED}, {@link #DELETED}, or an ephemeral type
 * @param number the message's number; 0 for an ephemeral event
 * @param data the event's data as JSON text: the Message, {"number", "chat_number"} of a deleted one,
 *        or {"user"} of an ephemeral event
 */
public record ChatEvent(long chatId, long seq, String type, int number, String data) {

    public static final String CREATED = "message.created";
    public static final String UPDATED = "message.updated";
    public static final String DELETED = "message.deleted";
    public static final String MEMBER_JOINED = "member.joined";
    public static final String MEMBER_LEFT = "member.left";
    public static final String TYPING = "typing";

    /** An ephemeral event of {@code user}; user ids never need escaping in JSON (letters, digits, {@code _.@:-}). */
    public static ChatEvent ephemeral(long chatId, String type, String user) {
        return new ChatEvent(chatId, 0, type, 0, "{\"user\":\"" + user + "\"}");
    }

    @JsonIgnore
    public boolean isEphemeral() {
        return seq == 0;
    }
}
