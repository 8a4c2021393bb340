package io.chat.api.identity;

import io.chat.api.error.Problem;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The client paths (/chats/...) act for one user, by a user token: `Authorization: Bearer <token>`.
 * The token must be one this service signed (SmallRye JWT checks the signature with the configured
 * verification keys, the algorithm, the issuer and the expiry), for a live application, and of its
 * user's current generation (not revoked: Revocations). Anything else is a 401 problem with
 * `WWW-Authenticate: Bearer error="invalid_token"`, which says nothing of which check failed. The
 * caller, once verified, is in the request context for the resources and the rate limiter.
 */
public class BearerAuthentication {

    public static final String CLIENT_PATHS = "/chats";

    private static final Logger LOG = Logger.getLogger(BearerAuthentication.class);
    private static final Pattern BEARER = Pattern.compile("(?i)Bearer +([A-Za-z0-9._~+/-]+=*)");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    public static final String ACCESS_TOKEN = "access_token";
    /** The client path that takes a user token in the query too: a chat's events. */
    private static final Pattern STREAM_PATH = Pattern.compile("/events/?$");
    private static final Uni<Response> PASS = Uni.createFrom().nullItem();

    private final JWTParser parser;
    private final Revocations revocations;

    public BearerAuthentication(JWTParser parser, Revocations revocations) {
        this.parser = parser;
        this.revocations = revocations;
    }

    /**
     * The user a client path acts for, verified by the filter before the resource runs; a 401 if the
     * filter did not verify one (it would be a route the filter does not know as a client path).
     */
    public static Caller.User caller(ContainerRequestContext request) {
        if (request.getProperty(Caller.PROPERTY) instanceof Caller.User user) {
            return user;
        }
        throw new WebApplicationException(unauthorized());
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith(CLIENT_PATHS + "/")) {
            return PASS;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String accessToken = STREAM_PATH.matcher(path).find() ? request.getUriInfo().getQueryParameters().getFirst(ACCESS_TOKEN) : null;
        return verify(authorization, accessToken).map(user -> {
            if (user == null) {
                return unauthorized();
            }
            request.setProperty(Caller.PROPERTY, user);
            return null;
        });
    }

    /**
     * The user of a user token, verified as for any client path: from the Authorization header, or
     * without one from {@code accessToken} (the access_token query parameter, taken only where a
     * browser cannot send a header: an EventSource, a WebSocket; SecretRedaction and NGINX's log
     * rules keep its value out of every log). A null item for a token refused.
     */
    public Uni<Caller.User> verify(String authorization, String accessToken) {
        Optional<String> presented = authorization != null ? bearer(authorization)
                : Optional.ofNullable(accessToken).filter(token -> TOKEN.matcher(token).matches());
        Optional<Claims> claims = presented.flatMap(this::verify);
        if (claims.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        Claims token = claims.get();
        return revocations.current(token.application(), token.user()).map(state -> {
            if (!counts(state, token.generation())) {
                return null;
            }
            return new Caller.User(state.get().applicationId(), token.application(), token.user(), token.chats(),
                    token.generation(), token.expiresAt());
        });
    }

    /**
     * Whether a user token verified earlier still counts, as {@link #verify} would find now: not
     * expired, not revoked, of a live application (a socket that stays open checks it again).
     */
    public Uni<Boolean> stillCounts(Caller.User user) {
        if (!user.expiresAt().isAfter(Instant.now())) {
            return Uni.createFrom().item(false);
        }
        return revocations.current(user.publicId(), user.user()).map(state -> counts(state, user.generation()));
    }

    private static boolean counts(Optional<Revocations.State> state, int generation) {
        return state.isPresent() && state.get().live() && state.get().generation() == generation;
    }

    /** What a verified token says. */
    private record Claims(String application, String user, int generation, Set<Integer> chats, Instant expiresAt) {
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        Matcher matcher = BEARER.matcher(authorization.trim());
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The claims of a token this service signed and that has not expired; empty for anything else. */
    private Optional<Claims> verify(String token) {
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            // What failed, never the token: a key that does not load shows here as every token refused.
            LOG.debugf("a user token was refused: %s", e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getClass().getSimpleName());
            return Optional.empty();
        }
        Optional<String> application = text(jwt.getClaim(UserTokens.APPLICATION_CLAIM));
        Optional<Integer> generation = integer(jwt.getClaim(UserTokens.GENERATION_CLAIM));
        Object chats = jwt.getClaim(UserTokens.CHATS_CLAIM);
        Set<Integer> reachable = chats == null ? null : integers(chats);
        if (!UserIds.isValid(jwt.getSubject()) || application.isEmpty() || generation.isEmpty() || chats != null && reachable == null) {
            return Optional.empty();
        }
        return Optional.of(new Claims(application.get(), jwt.getSubject(), generation.get(), reachable,
                Instant.ofEpochSecond(jwt.getExpirationTime())));
    }

    // SmallRye hands a claim over as JSON-P (JsonString, JsonNumber, JsonArray) or as Java values, by its type.

    private static Optional<String> text(Object claim) {
        if (claim instanceof JsonString string) {
            return Optional.of(string.getString());
        }
        return claim instanceof String string ? Optional.of(string) : Optional.empty();
    }

    private static Optional<Integer> integer(Object claim) {
        if (claim instanceof JsonNumber number && number.isIntegral()) {
            return Optional.of(number.intValueExact());
        }
        if (claim instanceof Integer || claim instanceof Long) {
            return Optional.of(((Number) claim).intValue());
        }
        return Optional.empty();
    }

    /** The chat numbers of a chats claim, or null if it is not a list of integers. */
    private static Set<Integer> integers(Object claim) {
        Iterable<?> values = claim instanceof JsonArray array ? array : claim instanceof Collection<?> collection ? collection : null;
        if (values == null) {
            return null;
        }
        Set<Integer> numbers = new HashSet<>();
        for (Object value : values) {
            Optional<Integer> number = integer(value);
            if (number.isEmpty()) {
                return null;
            }
            numbers.add(number.get());
        }
        return numbers;
    }

    /** The 401 for any token refused: it says nothing of which check failed. */
    public static Response unauthorized() {
        return Problem.of("invalid-token", "Invalid user token", 401,
                        "The user token is missing, malformed, expired, revoked, or not one this service signed")
                .toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                .build();
    }
}
