package io.chat.api.error;

/** A request parameter or field the service layer rejects: answered as a 400 naming the field. */
public class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
