package io.chat.api.message.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chat.api.filter.MessageFilter;
import io.chat.api.identity.Caller;
import io.chat.api.idempotency.IdempotentRequests;
import io.chat.api.message.Message;
import io.chat.api.message.service.MessageService;
import io.chat.api.page.Page;
import io.chat.api.page.PageRequest;
import io.chat.api.page.Pages;
import io.chat.api.page.SortOrder;
import io.chat.api.search.MessageSearch;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * What the message endpoints do, whichever way a request came in: MessageResource (an application's
 * token in the path) and ClientMessageResource (a user token) parse their paths and name the caller,
 * then both call here.
 */
@ApplicationScoped
public class MessageEndpoints {

    private final MessageService messages;
    private final IdempotentRequests idempotency;
    private final MessageSearch search;
    private final ObjectMapper json;
    private final Pages pages;

    public MessageEndpoints(MessageService messages, IdempotentRequests idempotency, MessageSearch search, ObjectMapper json,
            Pages pages) {
        this.messages = messages;
        this.idempotency = idempotency;
        this.search = search;
        this.json = json;
        this.pages = pages;
    }

    /** 202 once the broker confirmed the operation; {@code chatPath} is where the chat is, for Location. */
    public Response create(Caller caller, String chatPath, int chatNumber, String idempotencyKey, NewMessageRequest request) {
        return idempotency.run(caller.idempotencyScope(), idempotencyKey,
                () -> "POST messages " + chatNumber + " " + toJson(request),
                () -> accepted(messages.create(caller, chatNumber, request.body(), request.sender()), chatPath));
    }

    /**
     * As {@link #create}, for the HTTP resources: without an Idempotency-Key no thread waits for the
     * number or the confirm. With one, on a worker thread as before: its claim and its answer are
     * blocking Redis calls around the create.
     */
    public Uni<Response> createAsync(Caller caller, String chatPath, int chatNumber, String idempotencyKey,
            NewMessageRequest request) {
        if (idempotencyKey != null) {
            return Uni.createFrom().item(() -> create(caller, chatPath, chatNumber, idempotencyKey, request))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return Uni.createFrom().completionStage(() -> messages.createAsync(caller, chatNumber, request.body(), request.sender()))
                .map(message -> accepted(message, chatPath));
    }

    private static Response accepted(Optional<Message> created, String chatPath) {
        Message message = created.orElseThrow(NotFoundException::new);
        return Response.accepted(message).header("Location", chatPath + "/messages/" + message.number()).build();
    }

    /**
     * A page of the list, as the JSON it is cached in (one Page of Message), with no thread waiting
     * for Redis when it is cached (MessageService.list). The filters and the page
     * are checked before the chat: a bad parameter is a 400 even for a chat that is not there.
     */
    public Uni<Response> list(Caller caller, int chatNumber, MessageFilter filter, String limit, String cursor, String order) {
        PageRequest page = pages.request(limit, cursor, order, SortOrder.DESC, filter.fingerprint());
        return messages.list(caller, chatNumber, filter, page)
                .map(json -> Response.ok(json.orElseThrow(NotFoundException::new)).build());
    }

    public Page<Message> search(Caller caller, int chatNumber, String query, String limit, String cursor) {
        return search.search(caller, chatNumber, query, limit, cursor).orElseThrow(NotFoundException::new);
    }

    public Message get(Caller caller, int chatNumber, int number) {
        return messages.find(caller, chatNumber, number).orElseThrow(NotFoundException::new);
    }

    public Response edit(Caller caller, int chatNumber, int number, MessageRequest request) {
        return Response.accepted(messages.edit(caller, chatNumber, number, request.body()).orElseThrow(NotFoundException::new))
                .build();
    }

    public Response delete(Caller caller, int chatNumber, int number) {
        if (!messages.delete(caller, chatNumber, number)) {
            throw new NotFoundException();
        }
        return Response.accepted().build();
    }

    private String toJson(NewMessageRequest request) {
        try {
            return json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request is always serializable", e);
        }
    }
}
