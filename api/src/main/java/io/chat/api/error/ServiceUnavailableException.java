package io.chat.api.error;

/** A backing service could not take the request; nothing was done that the client could see. */
public class ServiceUnavailableException extends RuntimeException {

    public ServiceUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
