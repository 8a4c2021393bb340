package io.chat.api.identity;

import io.chat.api.http.OpenApiPaths;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;

/**
 * The client paths take a user token (the bearer scheme userToken): 401 when it does not count, and
 * 403 where a user token may act only for its own user (posting, editing and deleting messages).
 */
// Before OpenApiRateLimitHeaders (priority 1), which gives these responses their headers too.
@OpenApiFilter(value = OpenApiFilter.RunStage.BUILD, priority = 2)
public class OpenApiUserTokens implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        openApi.getPaths().getPathItems().forEach((path, item) -> {
            if (!OpenApiPaths.isClientPath(path)) {
                return;
            }
            item.getOperations().forEach((method, operation) -> {
                operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme("userToken")));
                operation.getResponses().addAPIResponse("401", OASFactory.createAPIResponse().ref("Unauthorized"));
                boolean acting = method == PathItem.HttpMethod.POST && path.endsWith("/messages")
                        || method == PathItem.HttpMethod.PUT || method == PathItem.HttpMethod.DELETE;
                if (acting) {
                    operation.getResponses().addAPIResponse("403", OASFactory.createAPIResponse().ref("Forbidden"));
                }
                operation.getResponses().setAPIResponses(new TreeMap<>(operation.getResponses().getAPIResponses()));
            });
        });
    }
}
