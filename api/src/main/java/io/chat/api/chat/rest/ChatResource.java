package io.chat.api.chat.rest;

import io.chat.api.application.rest.ApplicationResource;
import io.chat.api.chat.Chat;
import io.chat.api.chat.service.ChatService;
import io.chat.api.identity.Caller;
import io.chat.api.idempotency.IdempotentRequests;
import io.chat.api.page.Page;
import io.chat.api.page.PageRequest;
import io.chat.api.page.Pages;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

// Class path /applications, like ApplicationResource: with a longer class path here, a method this
// path does not take fell through to ApplicationResource and answered 404 instead of 405.
@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Chats")
public class ChatResource {

    /** A positive integer in canonical decimal form; anything else, or one past int range (a failed conversion), is a 404. */
    public static final String NUMBER = "{number: [1-9][0-9]{0,9}}";
    public static final String CHATS = ApplicationResource.TOKEN + "/chats";
    public static final String CHAT = CHATS + "/" + NUMBER;

    private final ChatService chats;
    private final IdempotentRequests idempotency;
    private final Pages pages;

    public ChatResource(ChatService chats, IdempotentRequests idempotency, Pages pages) {
        this.chats = chats;
        this.idempotency = idempotency;
        this.pages = pages;
    }

    @POST
    @Path(CHATS)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createChat", summary = "Create a chat", description = "Numbers start at 1 in each application and are never handed out twice.")
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(schema = @Schema(implementation = Chat.class)))
    public Response create(@PathParam("token") String token,
            @HeaderParam(IdempotentRequests.HEADER) @Parameter(ref = IdempotentRequests.HEADER) String idempotencyKey,
            @RequestBody(required = false, description = "No body, or {}") NewChatRequest ignored) {
        return created(token, idempotencyKey);
    }

    /** No body at all, whatever Content-Type a client library adds by default; a body must be JSON. */
    @POST
    @Path(CHATS)
    @Operation(hidden = true) // the same operation as create(), whose optional body documents it
    public Response createWithoutBody(@PathParam("token") String token,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey, String body) {
        if (body != null && !body.isEmpty()) {
            throw new NotSupportedException();
        }
        return created(token, idempotencyKey);
    }

    /** The body carries nothing, so every creation request with the same key is the same request. */
    private Response created(String token, String idempotencyKey) {
        return idempotency.run(token, idempotencyKey, () -> "POST chats", () -> {
            Chat chat = chats.create(token).orElseThrow(NotFoundException::new);
            return Response.status(Response.Status.CREATED)
                    .header("Location", "/applications/" + token + "/chats/" + chat.number())
                    .entity(chat)
                    .build();
        });
    }

    @GET
    @Path(CHATS)
    @Operation(operationId = "listChats", summary = "List chats", description = "By number, ascending (oldest first) unless order says otherwise.")
    public Page<Chat> list(@PathParam("token") String token, @QueryParam("limit") @Parameter(ref = "limit") String limit,
            @QueryParam("cursor") @Parameter(ref = "cursor") String cursor,
            @QueryParam("order") @Parameter(ref = "order") String order) {
        PageRequest page = pages.request(limit, cursor, order, SortOrder.ASC);
        return chats.list(token, page).orElseThrow(NotFoundException::new);
    }

    @GET
    @Path(CHAT)
    @Operation(operationId = "getChat", summary = "Get a chat")
    public Chat get(@PathParam("token") String token, @PathParam("number") int number) {
        return chats.find(new Caller.Application(token), number).orElseThrow(NotFoundException::new);
    }

    @DELETE
    @Path(CHAT)
    @Operation(operationId = "deleteChat", summary = "Delete a chat", description = "Its messages and search documents are removed in the background.")
    public void delete(@PathParam("token") String token, @PathParam("number") int number) {
        if (!chats.delete(token, number)) {
            throw new NotFoundException();
        }
    }
}
