package io.chat.api.error;

import io.chat.api.http.OpenApiPaths;
import io.chat.api.idempotency.IdempotentRequests;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * Lists on each operation of the OpenAPI document the errors it can answer, NGINX's included (the
 * document's server is NGINX). They come from
 * mechanisms that span every resource (rate limit, body checks, idempotency, backing services), so
 * the rules live here once, next to those mechanisms, rather than as annotations on every method.
 * The responses themselves are defined in META-INF/openapi.yaml.
 */
// Before OpenApiRateLimitHeaders, which gives these responses their headers.
@OpenApiFilter(value = OpenApiFilter.RunStage.BUILD, priority = 2)
public class OpenApiProblems implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        Map<String, Parameter> shared = openApi.getComponents().getParameters();
        openApi.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values().forEach(operation -> {
            List<Parameter> parameters = operation.getParameters() == null ? List.of()
                    : operation.getParameters().stream().map(parameter -> resolve(parameter, shared)).toList();
            boolean body = operation.getRequestBody() != null;
            // Any request can be malformed: its request line, query string or headers (NGINX, Vert.x,
            // UnambiguousRequests), whatever the operation reads.
            add(operation, "400", "BadRequest");
            add(operation, "414", "UriTooLong");
            // RateLimits counts every request that names a token or carries a user token; anything
            // else there can be unknown (a chat outside a user token's chats too).
            if (OpenApiPaths.isLimited(path)) {
                add(operation, "404", "NotFound");
                add(operation, "429", "TooManyRequests");
            }
            if (body) {
                add(operation, "413", "ContentTooLarge");
                add(operation, "415", "UnsupportedMediaType");
            }
            if (parameters.stream().anyMatch(parameter -> IdempotentRequests.HEADER.equals(parameter.getName()))) {
                add(operation, "409", "Conflict");
                add(operation, "422", "UnprocessableContent");
            }
            add(operation, "503", "ServiceUnavailable");
            add(operation, "504", "GatewayTimeout");
            operation.getResponses().setAPIResponses(new TreeMap<>(operation.getResponses().getAPIResponses()));
        }));
    }

    private static Parameter resolve(Parameter parameter, Map<String, Parameter> shared) {
        String ref = parameter.getRef();
        return ref == null ? parameter : shared.get(ref.substring(ref.lastIndexOf('/') + 1));
    }

    private static void add(Operation operation, String status, String response) {
        operation.getResponses().addAPIResponse(status, OASFactory.createAPIResponse().ref(response));
    }
}
