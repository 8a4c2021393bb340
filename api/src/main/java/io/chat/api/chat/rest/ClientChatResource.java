package io.chat.api.chat.rest;

import io.chat.api.chat.Chat;
import io.chat.api.chat.service.ChatService;
import io.chat.api.identity.BearerAuthentication;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A chat, for one user by a user token: a chat outside the token's chats is a 404, as if it did not exist. */
@Path(BearerAuthentication.CLIENT_PATHS)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Chats")
public class ClientChatResource {

    private final ChatService chats;

    public ClientChatResource(ChatService chats) {
        this.chats = chats;
    }

    @GET
    @Path(ChatResource.NUMBER)
    @Operation(operationId = "getChatAsUser", summary = "Get a chat", description = "As GET /applications/{token}/chats/{number}.")
    public Chat get(@Context ContainerRequestContext request, @PathParam("number") int number) {
        return chats.find(BearerAuthentication.caller(request), number).orElseThrow(NotFoundException::new);
    }
}
