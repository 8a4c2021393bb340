package io.chat.api.chat.rest;

import io.chat.api.application.rest.ApplicationResource;
import io.chat.api.chat.Chat;
import io.chat.api.chat.service.ChatService;
import io.chat.api.idempotency.IdempotentRequests;
import io.chat.api.page.Page;
import io.chat.api.page.PageRequest;
import io.chat.api.page.SortOrder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

// Class path /applications, like ApplicationResource: with a longer class path here, a method this
// path does not take fell through to ApplicationResource and answered 404 instead of 405.
@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
public class ChatResource {

    /** A positive integer in canonical decimal form; anything else, or one past int range (a failed conversion), is a 404. */
    public static final String NUMBER = "{number: [1-9][0-9]{0,9}}";
    public static final String CHATS = ApplicationResource.TOKEN + "/chats";
    public static final String CHAT = CHATS + "/" + NUMBER;

    private final ChatService chats;
    private final IdempotentRequests idempotency;

    public ChatResource(ChatService chats, IdempotentRequests idempotency) {
        this.chats = chats;
        this.idempotency = idempotency;
    }

    @POST
    @Path(CHATS)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("token") String token,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey, NewChatRequest ignored) {
        return created(token, idempotencyKey);
    }

    /** No body at all, whatever Content-Type a client library adds by default; a body must be JSON. */
    @POST
    @Path(CHATS)
    public Response createWithoutBody(@PathParam("token") String token,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey, String body) {
        if (body != null && !body.isEmpty()) {
            throw new NotSupportedException();
        }
        return created(token, idempotencyKey);
    }

    /** The body carries nothing, so every creation request with the same key is the same request. */
    private Response created(String token, String idempotencyKey) {
        return idempotency.run(token, idempotencyKey, "POST chats", () -> {
            Chat chat = chats.create(token).orElseThrow(NotFoundException::new);
            return Response.status(Response.Status.CREATED)
                    .header("Location", "/applications/" + token + "/chats/" + chat.number())
                    .entity(chat)
                    .build();
        });
    }

    @GET
    @Path(CHATS)
    public Page<Chat> list(@PathParam("token") String token, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor, @QueryParam("order") String order) {
        PageRequest page = PageRequest.parse(limit, cursor, order, SortOrder.ASC);
        return chats.list(token, page).orElseThrow(NotFoundException::new);
    }

    @GET
    @Path(CHAT)
    public Chat get(@PathParam("token") String token, @PathParam("number") int number) {
        return chats.find(token, number).orElseThrow(NotFoundException::new);
    }

    @DELETE
    @Path(CHAT)
    public void delete(@PathParam("token") String token, @PathParam("number") int number) {
        if (!chats.delete(token, number)) {
            throw new NotFoundException();
        }
    }
}
