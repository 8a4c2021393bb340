package io.chat.api.filter;

import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The filter parameters of GET …/messages, as both message resources take them (a @BeanParam). */
public class FilterParameters {

    @QueryParam("sender")
    @Parameter(ref = "sender")
    String sender;

    @QueryParam("hashtag")
    @Parameter(ref = "hashtag")
    String hashtag;

    @QueryParam("from")
    @Parameter(ref = "from")
    String from;

    @QueryParam("to")
    @Parameter(ref = "to")
    String to;

    /** Validated: a 400 naming the parameter that is wrong. */
    public MessageFilter filter() {
        return MessageFilter.of(sender, hashtag, from, to);
    }
}
