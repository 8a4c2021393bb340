package io.chat.api.events.rest;

import io.chat.api.chat.rest.ChatResource;
import io.chat.api.identity.Caller;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A chat's events, live and resumable, by the application's token (see EventEndpoints). */
@Path("/applications")
@Tag(name = "Events")
public class EventResource {

    public static final String EVENTS = "/events";

    private final EventEndpoints events;

    public EventResource(EventEndpoints events) {
        this.events = events;
    }

    @GET
    @Path(ChatResource.CHAT + EVENTS)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(operationId = "followChat", summary = "Follow a chat's events",
            description = "Server-Sent Events: message.created, message.updated, message.deleted, each with its id, in the chat's "
                    + "order. Resume with the Last-Event-ID header or since=<id> (0: the whole history); an id that cannot be "
                    + "resumed gets one reset event. Ephemeral events (member.joined, member.left, typing) have no id. A comment line at "
                    + "least every 20 seconds. With user=, the stream is listed among the chat's members as that user.")
    public Multi<OutboundSseEvent> follow(@PathParam("token") String token, @PathParam("number") int number,
            @HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("since") String since, @QueryParam("user") String user, @Context Sse sse) {
        return events.open(new Caller.Application(token), number, lastEventId, since, user, sse);
    }
}
