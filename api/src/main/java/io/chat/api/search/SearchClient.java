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
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return json.createObjectNode(); // no index yet: nothing was ever indexed
            }
            throw new ServiceUnavailableException("the search engine failed", e);
        } catch (IOException e) {
            throw new ServiceUnavailableException("the search engine is unavailable", e);
        }
    }
}
