package io.chat.common.messaging;

/**
 * What the API enqueues for the worker: one accepted operation on one message.
 *
 * @param version the chat's operation counter when the API accepted it: the worker applies an
 *        operation only over an older one, so a redelivered or overtaken operation changes nothing
 * @param body the new body; null for a delete
 * @param at when the API accepted it, epoch milliseconds (created_at of a create, updated_at of an edit)
 * @param sender who wrote it, on a create; null when none was given, and on edits and deletes (an
 *        edit keeps the sender of the create)
 */
public record MessageOperation(Type type, long applicationId, long chatId, int chatNumber, int number, long version,
        String body, long at, String sender) {

    public enum Type {
        CREATE, UPDATE, DELETE
    }

    /** True when the worker can apply it: what a decoded payload must satisfy, or it is dead-lettered. */
    public boolean isWellFormed() {
        return type != null && chatId > 0 && chatNumber > 0 && number > 0 && version > 0 && at > 0
                && (type == Type.DELETE || body != null && !body.isBlank());
    }
}
