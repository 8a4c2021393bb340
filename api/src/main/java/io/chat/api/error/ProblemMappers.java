package io.chat.api.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.chat.api.config.ApiConfig;
import io.chat.api.identity.NotYoursException;
import io.vertx.core.http.HttpClosedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error as application/problem+json (RFC 9457). */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final PropertyNamingStrategies.SnakeCaseStrategy SNAKE_CASE = new PropertyNamingStrategies.SnakeCaseStrategy();

    private final ApiConfig config;

    public ProblemMappers(ApiConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        return Problem.validation(List.of(new Problem.FieldError(e.field(), e.getMessage()))).toResponse().build();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(ProblemMappers::fieldError)
                .sorted(Comparator.comparing(error -> String.valueOf(error.field())))
                .toList();
        return Problem.validation(errors).toResponse().build();
    }

    /** Named apart from its supertype: Quarkus maps this one itself unless we do. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        // A value of the wrong type, or a number past the field's range (Jackson wraps that one with its path).
        boolean wrongValue = e instanceof MismatchedInputException || e.getCause() instanceof InputCoercionException;
        if (wrongValue && e instanceof JsonMappingException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return Problem.validation(List.of(new Problem.FieldError(field, "has the wrong type"))).toResponse().build();
        }
        return Problem.validation(List.of(new Problem.FieldError(null, "request body is not a well-formed JSON object")))
                .toResponse().build();
    }

    /** A user token acting for another user (identity): what it may not do, said plainly. */
    @ServerExceptionMapper
    public Response notYours(NotYoursException e) {
        return Problem.of("forbidden", "Forbidden", 403, e.getMessage()).toResponse().build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.of("not-found", "Not found", 404, "No resource at this path").toResponse().build();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return Problem.of("method-not-allowed", "Method not allowed", 405, "This path does not take that method")
                .toResponse().build();
    }

    /** The rest of JAX-RS's own errors: 406, 413, 415 and the like. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) {
            return unexpected(e);
        }
        String type = status.getReasonPhrase().toLowerCase().replace(' ', '-');
        return Problem.of(type, status.getReasonPhrase(), status.getStatusCode(), status.getReasonPhrase())
                .toResponse()
                .build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (clientWentAway(e)) {
            // Routine (a closed tab, a client's timeout, a load generator stopping mid-request): nobody reads this answer.
            LOG.debugf("The client closed its connection before its request was read: %s", e.getMessage());
            return Problem.of("bad-request", "Bad request", 400, "The connection closed before the request was read").toResponse().build();
        }
        if (BackingServiceFailures.isTransient(e)) {
            LOG.warnf("A backing service is unavailable: %s", e.toString());
            return Problem.of("service-unavailable", "Service unavailable", 503,
                            "A backing service is unavailable; nothing was changed. Retry later.")
                    .toResponse()
                    .header(HttpHeaders.RETRY_AFTER, Math.max(1, config.retryAfter().toSeconds()))
                    .build();
        }
        LOG.error("Unhandled failure", e);
        return Problem.of("internal", "Internal server error", 500, null).toResponse().build();
    }

    /** Whether the client closed the connection while its request body was being read. */
    private static boolean clientWentAway(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof HttpClosedException) {
                return true;
            }
        }
        return false;
    }

    /** The field of a violation: its property, or the list an element of it is in ({@code chats[0]} is chats). */
    private static Problem.FieldError fieldError(ConstraintViolation<?> violation) {
        Path.Node property = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PROPERTY) {
                property = node;
            }
        }
        if (property == null) {
            return new Problem.FieldError(null, "a JSON request body is required");
        }
        return new Problem.FieldError(SNAKE_CASE.translate(property.getName()), violation.getMessage());
    }
}
