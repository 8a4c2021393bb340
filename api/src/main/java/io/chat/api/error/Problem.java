package io.chat.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** An RFC 9457 problem detail. Never carries a stack trace, a class name or SQL. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPES = "https://chat.example/problems/";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, String message) {
    }

    public static Problem validation(List<FieldError> errors) {
        String detail = errors.stream()
                .map(error -> error.field() == null ? error.message() : error.field() + " " + error.message())
                .reduce((a, b) -> a + "; " + b)
                .orElse("invalid request");
        return new Problem(TYPES + "validation", "Invalid request", 400, detail, errors);
    }

    public static Problem of(String type, String title, int status, String detail) {
        return new Problem(TYPES + type, title, status, detail, null);
    }

    public Response.ResponseBuilder toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this);
    }
}
