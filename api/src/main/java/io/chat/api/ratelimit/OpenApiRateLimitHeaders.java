package io.chat.api.ratelimit;

import io.chat.api.http.OpenApiPaths;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * RateLimits puts X-RateLimit-Limit, -Remaining and -Reset on every answer under a token, whatever
 * its status: so does the document. The shared responses (components) get them, and so does every
 * response of an operation under a token; an operation without one (POST /applications) gets copies
 * of the shared responses without them.
 */
@OpenApiFilter(value = OpenApiFilter.RunStage.BUILD, priority = 1)
public class OpenApiRateLimitHeaders implements OASFilter {

    static final String[] HEADERS = {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"};
    private static final Set<String> UNCOUNTED = Set.of("MethodNotAllowed", "Unauthorized");

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        Map<String, APIResponse> shared = openApi.getComponents().getResponses();
        openApi.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values().forEach(operation -> {
            boolean limited = OpenApiPaths.isLimited(path);
            Map<String, APIResponse> responses = new TreeMap<>(operation.getResponses().getAPIResponses());
            responses.replaceAll((status, response) -> {
                if (response.getRef() == null) {
                    return limited ? withHeaders(response) : response;
                }
                return limited ? response : copy(shared.get(name(response)));
            });
            operation.getResponses().setAPIResponses(responses);
        }));
        // A 405 (io.chat.api.http.PathsAndMethods) and a 401 (BearerAuthentication) are answered before the limiter counts.
        shared.forEach((name, response) -> {
            if (!UNCOUNTED.contains(name)) {
                withHeaders(response);
            }
        });
    }

    private static APIResponse withHeaders(APIResponse response) {
        for (String header : HEADERS) {
            if (response.getHeaders() == null || !response.getHeaders().containsKey(header)) {
                response.addHeader(header, OASFactory.createHeader().ref(header));
            }
        }
        return response;
    }

    /** A shared response as it is before this filter gives it the rate-limit headers. */
    private static APIResponse copy(APIResponse component) {
        APIResponse copy = OASFactory.createAPIResponse().description(component.getDescription()).content(component.getContent());
        if (component.getHeaders() != null) {
            Map<String, Header> headers = new TreeMap<>(component.getHeaders());
            for (String header : HEADERS) {
                headers.remove(header);
            }
            copy.setHeaders(headers.isEmpty() ? null : headers);
        }
        return copy;
    }

    private static String name(APIResponse response) {
        return response.getRef().substring(response.getRef().lastIndexOf('/') + 1);
    }
}
