package io.chat.api.events.rest;

import io.chat.api.chat.ChatEntity;
import io.chat.api.events.ChatStreams;
import io.chat.api.events.StreamCaps;
import io.chat.api.events.StreamItem;
import io.chat.api.identity.Caller;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestMulti;

/** The event stream of a chat as Server-Sent Events, whichever way the request came in (EventResource, ClientEventResource). */
@ApplicationScoped
public class EventEndpoints {

    /** An event id as this service hands them out: a seq, in canonical decimal form. */
    private static final Pattern ID = Pattern.compile("0|[1-9][0-9]{0,17}");
    /** What a resume from an id that is not one of ours asks for: a reset (any negative seq). */
    private static final long UNKNOWN = -1;

    private final ChatStreams streams;
    private final StreamCaps caps;

    public EventEndpoints(ChatStreams streams, StreamCaps caps) {
        this.streams = streams;
        this.caps = caps;
    }

    /**
     * @param lastEventId the Last-Event-ID header: an EventSource sends it when it reconnects, to
     *        the URL it first opened, so it wins over that URL's {@code since}
     */
    public Multi<OutboundSseEvent> open(Caller caller, int number, String lastEventId, String since, Sse sse) {
        // In a transaction of its own: the request scope's session, and its pooled connection, would
        // otherwise be held for as long as the stream stays open.
        long[] chat = QuarkusTransaction.requiringNew()
                .call(() -> ChatEntity.findLive(caller, number).map(found -> new long[] {found.id, found.applicationId}))
                .orElseThrow(NotFoundException::new);
        String resumeFrom = lastEventId != null ? lastEventId : since;
        Long after = resumeFrom == null ? null : ID.matcher(resumeFrom.trim()).matches() ? Long.valueOf(resumeFrom.trim()) : UNKNOWN;
        Caller.User user = caller instanceof Caller.User verified ? verified : null;
        Runnable slot = caps.acquire(chat[1], user);
        // X-Accel-Buffering: NGINX passes each event on at once (it buffers other answers).
        return RestMulti.fromMultiData(streams.follow(chat[0], after, user).onTermination().invoke(slot).map(item -> sse(item, sse)))
                .header("X-Accel-Buffering", "no")
                .header("Cache-Control", "no-store")
                .build();
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
        return sse.newEventBuilder().comment("heartbeat").build();
    }
}
