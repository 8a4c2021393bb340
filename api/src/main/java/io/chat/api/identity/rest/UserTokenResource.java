package io.chat.api.identity.rest;

import io.chat.api.application.rest.ApplicationResource;
import io.chat.api.identity.UserIds;
import io.chat.api.identity.UserTokens;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** An application mints tokens for its users, to hand to their browsers and phones, and revokes them. */
// Class path /applications like the other resources: see ChatResource.
@Path("/applications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "User tokens")
public class UserTokenResource {

    private static final String TOKENS = ApplicationResource.TOKEN + "/users/{user}/tokens";
    private static final long DEFAULT_LIFETIME = 86_400;

    private final UserTokens tokens;

    public UserTokenResource(UserTokens tokens) {
        this.tokens = tokens;
    }

    @POST
    @Path(TOKENS)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "mintUserToken", summary = "Mint a user token",
            description = "A signed JWT that acts for this user on the client paths (/chats/...), until it expires or is revoked.")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(schema = @Schema(implementation = UserTokenResponse.class)))
    public Response mint(@PathParam("token") String token, @PathParam("user") @Parameter(schema = @Schema(
                    pattern = "^" + UserIds.PATTERN + "$"), description = "The application's own id for one of its users") String user,
            @RequestBody(required = false) @Valid UserTokenRequest request) {
        UserIds.check(user, "user");
        long lifetime = request == null || request.expiresIn() == null ? DEFAULT_LIFETIME : request.expiresIn();
        List<Integer> chats = request == null || request.chats() == null ? null : request.chats().stream().distinct().toList();
        UserTokens.Issued issued = tokens.mint(token, user, Duration.ofSeconds(lifetime), chats).orElseThrow(NotFoundException::new);
        return Response.status(Response.Status.CREATED)
                .entity(new UserTokenResponse(issued.token(), issued.user(), issued.expiresAt(), issued.chats()))
                .build();
    }

    /** No body at all, whatever Content-Type a client library adds by default (as POST .../chats). */
    @POST
    @Path(TOKENS)
    @Operation(hidden = true) // the same operation as mint(), whose optional body documents it
    public Response mintWithoutBody(@PathParam("token") String token, @PathParam("user") String user, String body) {
        if (body != null && !body.isEmpty()) {
            throw new NotSupportedException();
        }
        return mint(token, user, null);
    }

    @DELETE
    @Path(TOKENS)
    @Operation(operationId = "revokeUserTokens", summary = "Revoke every token of a user",
            description = "Every user token minted for this user so far stops working at once, on every replica.")
    public void revoke(@PathParam("token") String token, @PathParam("user") @Parameter(schema = @Schema(
            pattern = "^" + UserIds.PATTERN + "$")) String user) {
        UserIds.check(user, "user");
        if (!tokens.revoke(token, user)) {
            throw new NotFoundException();
        }
    }
}
