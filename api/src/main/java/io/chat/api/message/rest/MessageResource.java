package io.chat.api.message.rest;

import io.chat.api.chat.rest.ChatResource;
import io.chat.api.filter.MessageFilter;
import io.chat.api.identity.Caller;
import io.chat.api.idempotency.IdempotentRequests;
import io.chat.api.message.Message;
import io.chat.api.page.Page;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

// Class path /applications like the other resources: see ChatResource.
@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Messages")
public class MessageResource {

    /** A message's number in a path, as a chat's: anything but a canonical positive integer is a 404. */
    static final String NUMBER = "/{message: [1-9][0-9]{0,9}}";
    private static final String MESSAGES = ChatResource.CHAT + "/messages";
    private static final String MESSAGE = MESSAGES + NUMBER;

    private final MessageEndpoints endpoints;

    public MessageResource(MessageEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    /** 202 once the broker confirmed the operation: it will be persisted with no further action. */
    @POST
    @Path(MESSAGES)
    @Operation(operationId = "postMessage", summary = "Post a message", description = "202: accepted durably. The message will be "
            + "persisted, readable and searchable with no further action; until then GET of it may answer 404.")
    @APIResponse(responseCode = "202", description = "Accepted", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(schema = @Schema(implementation = Message.class)))
    public Uni<Response> create(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @HeaderParam(IdempotentRequests.HEADER) @Parameter(ref = IdempotentRequests.HEADER) String idempotencyKey,
            @Valid @NotNull NewMessageRequest request) {
        return endpoints.createAsync(new Caller.Application(token), "/applications/" + token + "/chats/" + chatNumber, chatNumber,
                idempotencyKey, request);
    }

    @GET
    @Path(MESSAGES)
    @Operation(operationId = "listMessages", summary = "List messages", description = "By number, newest first unless order says "
            + "otherwise; sender, hashtag, from and to combine with each other and with the page. A cursor walks on only the list "
            + "it came from: with other filters it is a 400.")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(schema = @Schema(ref = "PageMessage")))
    public Uni<Response> list(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @QueryParam("limit") @Parameter(ref = "limit") String limit, @QueryParam("cursor") @Parameter(ref = "cursor") String cursor,
            @QueryParam("order") @Parameter(ref = "order") String order,
            @QueryParam("sender") @Parameter(ref = "sender") String sender, @QueryParam("hashtag") @Parameter(ref = "hashtag") String hashtag,
            @QueryParam("from") @Parameter(ref = "from") String from, @QueryParam("to") @Parameter(ref = "to") String to) {
        return endpoints.list(new Caller.Application(token), chatNumber, MessageFilter.of(sender, hashtag, from, to), limit, cursor, order);
    }

    @GET
    @Path(MESSAGES + "/search")
    @Operation(operationId = "searchMessages", summary = "Search a chat's messages", description = "Best match first, then newest.")
    public Page<Message> search(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @QueryParam("q") @Parameter(ref = "q") String query, @QueryParam("limit") @Parameter(ref = "limit") String limit,
            @QueryParam("cursor") @Parameter(ref = "cursor") String cursor) {
        return endpoints.search(new Caller.Application(token), chatNumber, query, limit, cursor);
    }

    @GET
    @Path(MESSAGE)
    @Operation(operationId = "getMessage", summary = "Get a message")
    public Message get(@PathParam("token") String token, @PathParam("number") int chatNumber, @PathParam("message") int number) {
        return endpoints.get(new Caller.Application(token), chatNumber, number);
    }

    @PUT
    @Path(MESSAGE)
    @Operation(operationId = "editMessage", summary = "Edit a message", description = "Applied after any operation accepted before it; "
            + "the sender stays the create's.")
    @APIResponse(responseCode = "202", description = "Accepted; the message as it will read",
            content = @Content(schema = @Schema(implementation = Message.class)))
    public Response edit(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @PathParam("message") int number, @Valid @NotNull MessageRequest request) {
        return endpoints.edit(new Caller.Application(token), chatNumber, number, request);
    }

    @DELETE
    @Path(MESSAGE)
    @Operation(operationId = "deleteMessage", summary = "Delete a message",
            description = "Applied after any operation accepted before it; a deleted message never comes back.")
    @APIResponse(responseCode = "202", description = "Accepted")
    public Response delete(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @PathParam("message") int number) {
        return endpoints.delete(new Caller.Application(token), chatNumber, number);
    }
}
