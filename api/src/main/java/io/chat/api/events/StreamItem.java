package io.chat.api.events;

import io.chat.common.events.ChatEvent;

/** What a subscriber receives, whatever the protocol: an event, an ephemeral event, one reset, or a heartbeat. */
public sealed interface StreamItem {

    /** A persisted event; its id is its seq. */
    record Event(ChatEvent event) implements StreamItem {
    }

    /** A member joined or left, someone is typing: no id, never replayed. */
    record Ephemeral(ChatEvent event) implements StreamItem {
    }

    /**
     * The id the client asked to resume from cannot be resumed: it reloads, then follows live events.
     *
     * @param seq the id to resume from after the reload: the chat's last event when the reset was sent
     */
    record Reset(long seq) implements StreamItem {
    }

    /** Nothing happened: a line that keeps an idle connection open through proxies. */
    record Heartbeat() implements StreamItem {
    }
}
