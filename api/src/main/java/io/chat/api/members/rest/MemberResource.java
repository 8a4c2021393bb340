package io.chat.api.members.rest;

import io.chat.api.chat.rest.ChatResource;
import io.chat.api.identity.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who follows a chat right now, by the application's token. */
@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Events")
public class MemberResource {

    public static final String MEMBERS = "/members";

    private final MemberEndpoints members;

    public MemberResource(MemberEndpoints members) {
        this.members = members;
    }

    @GET
    @Path(ChatResource.CHAT + MEMBERS)
    @Operation(operationId = "listMembers", summary = "List who follows a chat",
            description = "The users whose event streams or sockets follow the chat right now, on every replica, with their "
                    + "connections and since when. A user token's connection is its user; an application token's names one "
                    + "with user=. A replica that died stops counting within three heartbeats (45 s).")
    public MemberList list(@PathParam("token") String token, @PathParam("number") int number) {
        return members.list(new Caller.Application(token), number);
    }
}
