package io.chat.api.message.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.api.chat.rest.ChatResource;
import io.chat.api.idempotency.IdempotentRequests;
import io.chat.api.message.Message;
import io.chat.api.message.service.MessageService;
import io.chat.api.page.Page;
import io.chat.api.page.PageRequest;
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

// Class path /applications like the other resources: see ChatResource.
@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MessageResource {

    private static final String MESSAGES = ChatResource.CHAT + "/messages";
    private static final String MESSAGE = MESSAGES + "/{message: [1-9][0-9]{0,9}}";

    private final MessageService messages;
    private final IdempotentRequests idempotency;
    private final MessageSearch search;
    private final ObjectMapper json;

    public MessageResource(MessageService messages, IdempotentRequests idempotency, MessageSearch search, ObjectMapper json) {
        this.messages = messages;
        this.idempotency = idempotency;
        this.search = search;
        this.json = json;
    }

    /** 202 once the broker confirmed the operation: it will be persisted with no further action. */
    @POST
    @Path(MESSAGES)
    public Response create(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey, @Valid @NotNull MessageRequest request) {
        String description = "POST messages " + chatNumber + " " + toJson(request);
        return idempotency.run(token, idempotencyKey, description, () -> {
            Message message = messages.create(token, chatNumber, request.body()).orElseThrow(NotFoundException::new);
            return Response.accepted(message)
                    .header("Location", "/applications/" + token + "/chats/" + chatNumber + "/messages/" + message.number())
                    .build();
        });
    }

    @GET
    @Path(MESSAGES)
    public Page<Message> list(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor, @QueryParam("order") String order) {
        PageRequest page = PageRequest.parse(limit, cursor, order, SortOrder.DESC);
        return messages.list(token, chatNumber, page).orElseThrow(NotFoundException::new);
    }

    /** Best match first, then newest. */
    @GET
    @Path(MESSAGES + "/search")
    public Page<Message> search(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @QueryParam("q") String query, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return search.search(token, chatNumber, query, limit, cursor).orElseThrow(NotFoundException::new);
    }

    @GET
    @Path(MESSAGE)
    public Message get(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @PathParam("message") int number) {
        return messages.find(token, chatNumber, number).orElseThrow(NotFoundException::new);
    }

    @PUT
    @Path(MESSAGE)
    public Response edit(@PathParam("token") String token, @PathParam("number") int chatNumber,
            @PathParam("message") int number, @Valid @NotNull MessageRequest request) {
        return Response.accepted(messages.edit(token, chatNumber, number, request.body()).orElseThrow(NotFoundException::new))
                .build();
    }

    @DELETE
    @Path(MESSAGE)
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
