package io.chat.api.socket;

import io.chat.api.error.InvalidRequestException;
import io.chat.api.events.rest.EventEndpoints;
import io.chat.api.identity.BearerAuthentication;
import io.chat.api.identity.Caller;
import io.chat.api.ratelimit.RateLimits;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * What a chat's socket checks before it upgrades, as a request to its events would be: the token
 * (an application's in the path; a user token in the Authorization header or, from a browser, in
 * access_token), the rate limits and the caps (429), the chat (404), ?user= (400). A refusal is an HTTP status with no
 * body (a WebSocket handshake has none to give): 401 with WWW-Authenticate, 400, 404, 429, 503.
 */
@ApplicationScoped
public class SocketUpgrade implements HttpUpgradeCheck {

    static final UserData.TypedKey<Caller> CALLER = new UserData.TypedKey<>("chat.caller");
    static final UserData.TypedKey<EventEndpoints.Target> TARGET = new UserData.TypedKey<>("chat.target");

    private static final Logger LOG = Logger.getLogger(SocketUpgrade.class);
    /** A chat number in a path: canonical decimal, as on every other path (anything else names no chat). */
    private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,9}");

    private final BearerAuthentication authentication;
    private final EventEndpoints events;
    private final RateLimits rateLimits;

    public SocketUpgrade(BearerAuthentication authentication, EventEndpoints events, RateLimits rateLimits) {
        this.authentication = authentication;
        this.events = events;
        this.rateLimits = rateLimits;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String number = context.pathParam("number");
        if (number == null || !NUMBER.matcher(number).matches() || Long.parseLong(number) > Integer.MAX_VALUE) {
            return CheckResult.rejectUpgrade(404);
        }
        String token = context.pathParam("token");
        var request = context.httpRequest();
        Uni<Caller> caller = token != null ? Uni.createFrom().item(new Caller.Application(token))
                : authentication.verify(request.getHeader(HttpHeaders.AUTHORIZATION), request.getParam(BearerAuthentication.ACCESS_TOKEN))
                        .map(Caller.class::cast);
        String since = request.getParam("since");
        String member = request.getParam("user");
        return caller.chain(verified -> {
            if (verified == null) {
                return CheckResult.rejectUpgrade(401, Map.of(HttpHeaders.WWW_AUTHENTICATE, List.of("Bearer error=\"invalid_token\"")));
            }
            // An upgrade counts against the rate limits as the request to open an SSE stream does.
            return rateLimits.count(verified).chain(limited -> limited != null
                    ? CheckResult.rejectUpgrade(429, Map.of(HttpHeaders.RETRY_AFTER, List.of(Long.toString(limited.retryAfterSeconds()))))
                    : Uni.createFrom().item(() -> admit(context.userData(), verified, Integer.parseInt(number), since, member))
                            .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
        }).onFailure().recoverWithItem(failure -> {
            LOG.warnf("A socket could not be opened, a backing service failed: %s", failure.getMessage());
            return CheckResult.rejectUpgradeSync(503, Map.of(HttpHeaders.RETRY_AFTER, List.of("5")));
        });
    }

    /** Blocking: the chat is read from MySQL. */
    private CheckResult admit(UserData data, Caller caller, int number, String since, String member) {
        EventEndpoints.Target target;
        try {
            target = events.resolve(caller, number, since, caller instanceof Caller.User ? null : member);
        } catch (NotFoundException e) {
            return CheckResult.rejectUpgradeSync(404);
        } catch (InvalidRequestException e) {
            return CheckResult.rejectUpgradeSync(400);
        }
        if (!events.admits(target)) {
            return CheckResult.rejectUpgradeSync(429, Map.of(HttpHeaders.RETRY_AFTER, List.of("5")));
        }
        data.put(CALLER, caller);
        data.put(TARGET, target);
        return CheckResult.permitUpgradeSync();
    }
}
