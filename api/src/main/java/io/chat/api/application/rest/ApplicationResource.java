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

@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApplicationResource {

    /** A path segment that can be a token; anything else names no application and answers 404. */
    public static final String TOKEN = "{token: " + TokenGenerator.PATTERN + "}";

    private final ApplicationService applications;

    public ApplicationResource(ApplicationService applications) {
        this.applications = applications;
    }

    @POST
    public Response create(@Valid @NotNull ApplicationRequest request) {
        Application application = applications.create(request.name());
        return Response.status(Response.Status.CREATED)
                .header("Location", "/applications/" + application.token())
                .entity(application)
                .build();
    }

    @GET
    @Path(TOKEN)
    public Application get(@PathParam("token") String token) {
        return applications.find(token).orElseThrow(NotFoundException::new);
    }

    @PUT
    @Path(TOKEN)
    public Application rename(@PathParam("token") String token, @Valid @NotNull ApplicationRequest request) {
        return applications.rename(token, request.name()).orElseThrow(NotFoundException::new);
    }

    @DELETE
    @Path(TOKEN)
    public void delete(@PathParam("token") String token) {
        if (!applications.delete(token)) {
            throw new NotFoundException();
        }
    }
}
