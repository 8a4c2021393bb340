package io.chat.api.message.rest;

import io.chat.api.chat.rest.ChatResource;
import io.chat.api.filter.MessageFilter;
import io.chat.api.identity.BearerAuthentication;
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
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The message endpoints for one user, by a user token (BearerAuthentication): what MessageResource does. */
@Path(BearerAuthentication.CLIENT_PATHS)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Messages")
public class ClientMessageResource {

    private static final String MESSAGES = ChatResource.NUMBER + "/messages";
    private static final String MESSAGE = MESSAGES + MessageResource.NUMBER;

    private final MessageEndpoints endpoints;

    public ClientMessageResource(MessageEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @POST
    @Path(MESSAGES)
    @Operation(operationId = "postMessageAsUser", summary = "Post a message as the token's user",
            description = "As POST /applications/{token}/chats/{number}/messages; the sender is the token's user.")
    @APIResponse(responseCode = "202", description = "Accepted", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(schema = @Schema(implementation = Message.class)))
    public Uni<Response> create(@Context ContainerRequestContext request, @PathParam("number") int chatNumber,
            @HeaderParam(IdempotentRequests.HEADER) @Parameter(ref = IdempotentRequests.HEADER) String idempotencyKey,
            @Valid @NotNull NewMessageRequest body) {
        return endpoints.createAsync(caller(request), "/chats/" + chatNumber, chatNumber, idempotencyKey, body);
    }

    @GET
    @Path(MESSAGES)
    @Operation(operationId = "listMessagesAsUser", summary = "List messages", description = "As GET /applications/{token}/chats/{number}/messages.")
    @APIResponse(responseCode = "200", description = "OK", content = @Content(schema = @Schema(ref = "PageMessage")))
    public Uni<Response> list(@Context ContainerRequestContext request, @PathParam("number") int chatNumber,
            @QueryParam("limit") @Parameter(ref = "limit") String limit, @QueryParam("cursor") @Parameter(ref = "cursor") String cursor,
            @QueryParam("order") @Parameter(ref = "order") String order,
            @QueryParam("sender") @Parameter(ref = "sender") String sender, @QueryParam("hashtag") @Parameter(ref = "hashtag") String hashtag,
            @QueryParam("from") @Parameter(ref = "from") String from, @QueryParam("to") @Parameter(ref = "to") String to) {
        return endpoints.list(caller(request), chatNumber, MessageFilter.of(sender, hashtag, from, to), limit, cursor, order);
    }

    @GET
    @Path(MESSAGES + "/search")
    @Operation(operationId = "searchMessagesAsUser", summary = "Search a chat's messages", description = "As its search under /applications.")
    public Page<Message> search(@Context ContainerRequestContext request, @PathParam("number") int chatNumber,
            @QueryParam("q") @Parameter(ref = "q") String query, @QueryParam("limit") @Parameter(ref = "limit") String limit,
            @QueryParam("cursor") @Parameter(ref = "cursor") String cursor) {
        return endpoints.search(caller(request), chatNumber, query, limit, cursor);
    }

    @GET
    @Path(MESSAGE)
    @Operation(operationId = "getMessageAsUser", summary = "Get a message")
    public Message get(@Context ContainerRequestContext request, @PathParam("number") int chatNumber, @PathParam("message") int number) {
        return endpoints.get(caller(request), chatNumber, number);
    }

    @PUT
    @Path(MESSAGE)
    @Operation(operationId = "editMessageAsUser", summary = "Edit one of the user's own messages",
            description = "Another user's message is a 403; one whose create is not persisted yet reads as not there (404).")
    @APIResponse(responseCode = "202", description = "Accepted; the message as it will read",
            content = @Content(schema = @Schema(implementation = Message.class)))
    public Response edit(@Context ContainerRequestContext request, @PathParam("number") int chatNumber,
            @PathParam("message") int number, @Valid @NotNull MessageRequest body) {
        return endpoints.edit(caller(request), chatNumber, number, body);
    }

    @DELETE
    @Path(MESSAGE)
    @Operation(operationId = "deleteMessageAsUser", summary = "Delete one of the user's own messages",
            description = "Another user's message is a 403; one whose create is not persisted yet reads as not there (404).")
    @APIResponse(responseCode = "202", description = "Accepted")
    public Response delete(@Context ContainerRequestContext request, @PathParam("number") int chatNumber,
            @PathParam("message") int number) {
        return endpoints.delete(caller(request), chatNumber, number);
    }

    private static Caller caller(ContainerRequestContext request) {
        return BearerAuthentication.caller(request);
    }
}
