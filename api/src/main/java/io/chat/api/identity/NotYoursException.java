package io.chat.api.identity;

/** A user token acting for another user: posting as another sender, changing another's message (403). */
public class NotYoursException extends RuntimeException {

    public NotYoursException(String message) {
        super(message);
    }
}
