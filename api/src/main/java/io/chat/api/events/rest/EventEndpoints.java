package io.chat.api.events.rest;

import io.chat.api.events.ChatStreams;
import io.chat.api.events.StreamCaps;
import io.chat.api.events.StreamItem;
import io.chat.api.identity.Caller;
import io.chat.api.identity.UserIds;
import io.chat.api.names.LiveNames;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestMulti;

/**
 * The event stream of a chat, whichever way the request came in: as Server-Sent Events (EventResource,
 * ClientEventResource), or over a WebSocket (io.chat.api.socket), which takes {@link #resolve} and
 * {@link #follow} apart.
 */
@ApplicationScoped
public class EventEndpoints {

    /** An event id as this service hands them out: a seq, in canonical decimal form. */
    private static final Pattern ID = Pattern.compile("0|[1-9][0-9]{0,17}");
    /** What a resume from an id that is not one of ours asks for: a reset (any negative seq). */
    private static final long UNKNOWN = -1;

    /**
     * A stream to open: its chat, where it resumes, and who it is for.
     *
     * @param after the seq to resume after, negative for a reset, or null for live events only
     * @param user the user of a user token, or null
     * @param member who the stream is listed as among the chat's members, or null
     */
    public record Target(long chatId, long applicationId, Long after, Caller.User user, String member) {
    }

    private final ChatStreams streams;
    private final StreamCaps caps;
    private final LiveNames names;

    public EventEndpoints(ChatStreams streams, StreamCaps caps, LiveNames names) {
        this.names = names;
        this.streams = streams;
        this.caps = caps;
    }

    /**
     * @param lastEventId the Last-Event-ID header: an EventSource sends it when it reconnects, to
     *        the URL it first opened, so it wins over that URL's {@code since}
     * @param member for an application's token, the user the stream is a member as (?user=), or null
     */
    public Multi<OutboundSseEvent> open(Caller caller, int number, String lastEventId, String since, String member, Sse sse) {
        Multi<StreamItem> items = follow(resolve(caller, number, lastEventId != null ? lastEventId : since, member));
        // X-Accel-Buffering: NGINX passes each event on at once (it buffers other answers).
        return RestMulti.fromMultiData(items.map(item -> sse(item, sse)))
                .header("X-Accel-Buffering", "no")
                .header("Cache-Control", "no-store")
                .build();
    }

    /**
     * What opening a stream needs: the chat (404) and the member's name (400). Blocking (MySQL).
     *
     * @param resumeFrom the id to resume after, as the client sent it, or null
     */
    public Target resolve(Caller caller, int number, String resumeFrom, String member) {
        // Not through the request's Hibernate session: it, and its pooled connection, would be held
        // for as long as the stream stays open.
        LiveNames.LiveChat chat = names.chat(caller, number).orElseThrow(NotFoundException::new);
        Long after = resumeFrom == null ? null : ID.matcher(resumeFrom.trim()).matches() ? Long.valueOf(resumeFrom.trim()) : UNKNOWN;
        Caller.User user = caller instanceof Caller.User verified ? verified : null;
        String named = user != null ? user.user() : member == null ? null : UserIds.check(member, "user");
        return new Target(chat.id(), chat.applicationId(), after, user, named);
    }

    /** Whether the caps would take one more stream for the target now (a WebSocket is refused before its upgrade). */
    public boolean admits(Target target) {
        return caps.admits(target.applicationId(), target.user());
    }

    /** The stream's items; a 429 past the caps. Its slot under the caps is freed when it ends. */
    public Multi<StreamItem> follow(Target target) {
        Runnable slot = caps.acquire(target.applicationId(), target.user());
        return streams.follow(target.chatId(), target.after(), target.user(), target.member()).onTermination().invoke(slot);
    }

    private static OutboundSseEvent sse(StreamItem item, Sse sse) {
        if (item instanceof StreamItem.Event event) {
            return sse.newEventBuilder().id(String.valueOf(event.event().seq())).name(event.event().type())
                    .mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, event.event().data()).build();
        }
        if (item instanceof StreamItem.Reset reset) {
            return sse.newEventBuilder().id(String.valueOf(reset.seq())).name("reset")
                    .mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, "{}").build();
        }
        if (item instanceof StreamItem.Ephemeral ephemeral) {
            return sse.newEventBuilder().name(ephemeral.event().type())
                    .mediaType(MediaType.TEXT_PLAIN_TYPE).data(String.class, ephemeral.event().data()).build();
        }
        return sse.newEventBuilder().comment("heartbeat").build();
    }
}
