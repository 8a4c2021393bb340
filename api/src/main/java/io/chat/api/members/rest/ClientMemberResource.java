package io.chat.api.members.rest;

import io.chat.api.chat.rest.ChatResource;
import io.chat.api.identity.BearerAuthentication;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who follows a chat right now, for one user by a user token. */
@Path(BearerAuthentication.CLIENT_PATHS)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Events")
public class ClientMemberResource {

    private final MemberEndpoints members;

    public ClientMemberResource(MemberEndpoints members) {
        this.members = members;
    }

    @GET
    @Path(ChatResource.NUMBER + MemberResource.MEMBERS)
    @Operation(operationId = "listMembersAsUser", summary = "List who follows a chat",
            description = "As GET /applications/{token}/chats/{number}/members.")
    public MemberList list(@Context ContainerRequestContext request, @PathParam("number") int number) {
        return members.list(BearerAuthentication.caller(request), number);
    }
}
