package io.chat.api.message.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.api.chat.rest.ChatResource;
import io.chat.api.idempotency.IdempotentRequests;
import io.chat.api.message.Message;
import io.chat.api.message.service.MessageService;
import io.chat.api.page.Page;
import io.chat.api.page.PageRequest;
import io.chat.api.page.Pages;
import io.chat.api.page.SortOrder;
import io.chat.api.search.MessageSearch;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
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

    private static final String MESSAGES = ChatResource.CHAT + "/messages";
    private static final String MESSAGE = MESSAGES + "/{message: [1-9][0-9]{0,9}}";

    private final MessageService messages;
    private final IdempotentRequests idempotency;
    private final MessageSearch search;
    private final ObjectMapper json;
    private final Pages pages;

    public MessageResource(MessageService messages, IdempotentRequests idempotency, MessageSearch search, ObjectMapper json,
            Pages pages) {
        this.messages = messages;
        this.idempotency = idempotency;
        this.search = search;
        this.json = json;
        this.pages = pages;
    }

    /** 202 once the broker confirmed the operation: it will be persisted with no further action. */
    @POST
    @Path(MESSAGES)
    @Operation(operationId = "postMessage", summary = "Post a message", description = "202: accepted durably. The message will be persisted, readable and "
            + "searchable with no further action; until then GET of it may answer 404.")
    @APIResponse(responseCode = "202", description = "Accepted", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(schema = @Schema(implementation = Message.class)))
    public Response create(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @HeaderParam(IdempotentRequests.HEADER) @Parameter(ref = IdempotentRequests.HEADER) String idempotencyKey,
            @Valid @NotNull MessageRequest request) {
        return idempotency.run(token, idempotencyKey, () -> "POST messages " + chatNumber + " " + toJson(request), () -> {
            Message message = messages.create(token, chatNumber, request.body()).orElseThrow(NotFoundException::new);
            return Response.accepted(message)
                    .header("Location", "/applications/" + token + "/chats/" + chatNumber + "/messages/" + message.number())
                    .build();
        });
    }

    @GET
    @Path(MESSAGES)
    @Operation(operationId = "listMessages", summary = "List messages", description = "By number, newest first unless order says otherwise.")
    public Page<Message> list(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @QueryParam("limit") @Parameter(ref = "limit") String limit, @QueryParam("cursor") @Parameter(ref = "cursor") String cursor,
            @QueryParam("order") @Parameter(ref = "order") String order) {
        PageRequest page = pages.request(limit, cursor, order, SortOrder.DESC);
        return messages.list(token, chatNumber, page).orElseThrow(NotFoundException::new);
    }

    @GET
    @Path(MESSAGES + "/search")
    @Operation(operationId = "searchMessages", summary = "Search a chat's messages", description = "Best match first, then newest.")
    public Page<Message> search(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @QueryParam("q") @Parameter(ref = "q") String query, @QueryParam("limit") @Parameter(ref = "limit") String limit,
            @QueryParam("cursor") @Parameter(ref = "cursor") String cursor) {
        return search.search(token, chatNumber, query, limit, cursor).orElseThrow(NotFoundException::new);
    }

    @GET
    @Path(MESSAGE)
    @Operation(operationId = "getMessage", summary = "Get a message")
    public Message get(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @PathParam("message") int number) {
        return messages.find(token, chatNumber, number).orElseThrow(NotFoundException::new);
    }

    @PUT
    @Path(MESSAGE)
    @Operation(operationId = "editMessage", summary = "Edit a message", description = "Applied after any operation accepted before it.")
    @APIResponse(responseCode = "202", description = "Accepted; the message as it will read",
            content = @Content(schema = @Schema(implementation = Message.class)))
    public Response edit(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @PathParam("message") int number, @Valid @NotNull MessageRequest request) {
        return Response.accepted(messages.edit(token, chatNumber, number, request.body()).orElseThrow(NotFoundException::new))
                .build();
    }

    @DELETE
    @Path(MESSAGE)
    @Operation(operationId = "deleteMessage", summary = "Delete a message",
            description = "Applied after any operation accepted before it; a deleted message never comes back.")
    @APIResponse(responseCode = "202", description = "Accepted")
    public Response delete(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @PathParam("message") int number) {
        if (!messages.delete(token, chatNumber, number)) {
            throw new NotFoundException();
        }
        return Response.accepted().build();
    }

    private String toJson(MessageRequest request) {
        try {
            return json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request is always serializable", e);
        }
    }
}
