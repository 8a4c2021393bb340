package io.chat.api.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chat.api.error.ServiceUnavailableException;
import io.chat.common.search.MessageIndex;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** The API's searches of the message index: search and the aggregations of trends. */
@ApplicationScoped
public class SearchClient {

    private final RestClient client;
    private final ObjectMapper json;

    public SearchClient(RestClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    public ObjectNode body() {
        return json.createObjectNode();
    }

    /** The response to a _search of the message index; an empty object while there is no index yet. */
    public JsonNode search(ObjectNode body) {
        Request request = new Request("POST", "/" + MessageIndex.NAME + "/_search");
        request.setJsonEntity(body.toString());
        try {
            return json.readTree(client.performRequest(request).getEntity().getContent());
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            if (status == 404) {
                return json.createObjectNode(); // no index yet: nothing was ever indexed
            }
            if (status < 500 && status != 429) {
                // The engine refused our query: it would refuse it again; a bug of ours (a 500), not an outage.
                throw new IllegalStateException("the search engine refused a query: " + status + " " + errorType(e), e);
            }
            throw new ServiceUnavailableException("the search engine failed: " + status + " " + errorType(e), e);
        } catch (IOException e) {
            throw new ServiceUnavailableException("the search engine is unavailable", e);
        }
    }

    /** The engine's name for what went wrong (its root cause's type), for the log. */
    private String errorType(ResponseException e) {
        try {
            return json.readTree(e.getResponse().getEntity().getContent()).path("error").path("root_cause").path(0).path("type")
                    .asText("");
        } catch (IOException | RuntimeException unreadable) {
            return "";
        }
    }
}
