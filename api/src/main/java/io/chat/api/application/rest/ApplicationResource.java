package io.chat.api.application.rest;

import io.chat.api.application.Application;
import io.chat.api.application.service.ApplicationService;
import io.chat.api.application.service.TokenGenerator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Applications")
public class ApplicationResource {

    /** A path segment that can be a token; anything else names no application and answers 404. */
    public static final String TOKEN = "{token: " + TokenGenerator.PATTERN + "}";

    private final ApplicationService applications;

    public ApplicationResource(ApplicationService applications) {
        this.applications = applications;
    }

    @POST
    @Operation(operationId = "createApplication", summary = "Create an application",
            description = "Its token is its only credential: no endpoint lists applications.")
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(schema = @Schema(implementation = Application.class)))
    public Response create(@Valid @NotNull ApplicationRequest request) {
        Application application = applications.create(request.name());
        return Response.status(Response.Status.CREATED)
                .header("Location", "/applications/" + application.token())
                .entity(application)
                .build();
    }

    @GET
    @Path(TOKEN)
    @Operation(operationId = "getApplication", summary = "Get an application")
    public Application get(@PathParam("token") String token) {
        return applications.find(token).orElseThrow(NotFoundException::new);
    }

    @PUT
    @Path(TOKEN)
    @Operation(operationId = "renameApplication", summary = "Rename an application")
    public Application rename(@PathParam("token") String token, @Valid @NotNull ApplicationRequest request) {
        return applications.rename(token, request.name()).orElseThrow(NotFoundException::new);
    }

    @DELETE
    @Path(TOKEN)
    @Operation(operationId = "deleteApplication", summary = "Delete an application",
            description = "From then on the token answers 404; its chats, messages and search documents are removed in the background.")
    public void delete(@PathParam("token") String token) {
        if (!applications.delete(token)) {
            throw new NotFoundException();
        }
    }
}
