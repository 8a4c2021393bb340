package io.chat.api.events.rest;

import io.chat.api.chat.rest.ChatResource;
import io.chat.api.identity.BearerAuthentication;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A chat's events for one user, by a user token: in the Authorization header, or, for a browser's
 * EventSource, which cannot set one, in the access_token query parameter (never logged).
 */
@Path(BearerAuthentication.CLIENT_PATHS)
@Tag(name = "Events")
public class ClientEventResource {

    private final EventEndpoints events;

    public ClientEventResource(EventEndpoints events) {
        this.events = events;
    }

    @GET
    @Path(ChatResource.NUMBER + EventResource.EVENTS)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(operationId = "followChatAsUser", summary = "Follow a chat's events",
            description = "As GET /applications/{token}/chats/{number}/events.")
    public Multi<OutboundSseEvent> follow(@Context ContainerRequestContext request, @PathParam("number") int number,
            @HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("since") String since, @Context Sse sse) {
        return events.open(BearerAuthentication.caller(request), number, lastEventId, since, null, sse);
    }
}
