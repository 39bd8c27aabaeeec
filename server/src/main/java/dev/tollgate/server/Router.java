package dev.tollgate.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps method and path patterns ({@code /v1/admin/environments/{env}/fields/{path}}) to handlers, authenticates the
 * caller for the access the route needs, and turns failures into JSON error bodies. Path parameters are single,
 * percent-decoded segments.
 */
final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    /**
     * One line per request at INFO: method, path, status, milliseconds, and the token id or the signed-in person's
     * identity ({@code oidc:<sub>}); never a token, a cookie or a body.
     */
    private static final Logger ACCESS = LoggerFactory.getLogger("dev.tollgate.server.access");

    /** What a route requires of the caller. */
    enum Access {
        PUBLIC,
        SDK,
        VIEWER,
        EDITOR,
        ADMIN
    }

    /** Handles one matched call. */
    @FunctionalInterface
    interface Handler {
        void handle(Call call) throws IOException;
    }

    private record Route(String method, String[] pattern, Access access, Handler handler) {}

    private final List<Route> routes = new ArrayList<>();
    private final Tokens tokens;
    private final MinuteWindows failures;
    private final MinuteWindows sdkRequests;
    private final ServerMetrics metrics;
    private final OidcSignIn signIn;

    /**
     * {@code failures} counts failed authentications per client address; {@code sdkRequests} counts SDK requests per
     * endpoint, token and client address; {@code metrics} counts every request by route and status.
     */
    Router(Tokens tokens, MinuteWindows failures, MinuteWindows sdkRequests, ServerMetrics metrics) {
        this(tokens, failures, sdkRequests, metrics, null);
    }

    /**
     * {@code signIn}, when not null, also lets in people signed in through OpenID Connect by their session cookie; a
     * request with {@code Authorization: Bearer} is always judged by its token alone.
     */
    Router(Tokens tokens, MinuteWindows failures, MinuteWindows sdkRequests, ServerMetrics metrics, OidcSignIn signIn) {
        this.tokens = tokens;
        this.failures = failures;
        this.sdkRequests = sdkRequests;
        this.metrics = metrics;
        this.signIn = signIn;
    }

    void add(String method, String pattern, Access access, Handler handler) {
        routes.add(new Route(method, pattern.substring(1).split("/"), access, handler));
    }

    /** Every route as {@code METHOD /pattern}, in registration order. */
    List<String> routes() {
        return routes.stream()
                .map(r -> r.method() + " /" + String.join("/", r.pattern()))
                .toList();
    }

    /** Answers {@code call}, logging and counting it. */
    void handle(Call call) {
        long start = System.nanoTime();
        Dashboard.secure(call);
        try {
            answer(call);
        } finally {
            metrics.request(call.route(), call.status(), System.nanoTime() - start);
            if (ACCESS.isInfoEnabled()) {
                ACCESS.info(
                        "{} {} {} {} ms {}",
                        call.method(),
                        call.rawPath(),
                        call.status(),
                        (System.nanoTime() - start) / 1_000_000,
                        caller(call.principal()));
            }
        }
    }

    private static String caller(Principal principal) {
        if (principal == null) {
            return "-";
        }
        return principal.person() ? principal.identity() : "token " + principal.tokenId();
    }

    private void answer(Call call) {
        try {
            try {
                dispatch(call);
            } catch (ApiException e) {
                call.error(e);
            } catch (Database.StorageException e) {
                LOG.error("{} {} failed: {}", call.method(), call.rawPath(), e.getMessage());
                call.setHeader("Retry-After", "1");
                call.error(new ApiException(503, "unavailable", "the database is unavailable; retry later"));
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", call.method(), call.rawPath(), e);
                call.error(new ApiException(500, "internal", "internal error; see the server log"));
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not answer {} {}: {}", call.method(), call.rawPath(), e.getMessage());
            call.abort(e);
        }
        if (!call.finished()) {
            LOG.error("{} {} was not answered", call.method(), call.rawPath());
            call.abort(new IllegalStateException("no answer"));
        }
    }

    private void dispatch(Call call) throws IOException {
        String[] segments = call.rawPath().length() <= 1
                ? new String[] {""}
                : call.rawPath().substring(1).split("/", -1);
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            if (!matches(route.pattern(), segments)) {
                continue;
            }
            String method = call.method().toUpperCase(Locale.ROOT);
            if (!route.method().equals(method)
                    && !(method.equals("HEAD") && route.method().equals("GET"))) {
                allowed.add(route.method());
                continue;
            }
            bind(call, route.pattern(), segments);
            call.route(route.method() + " /" + String.join("/", route.pattern()));
            authorize(call, route.access());
            route.handler().handle(call);
            return;
        }
        if (!allowed.isEmpty()) {
            call.setHeader("Allow", String.join(", ", allowed));
            throw new ApiException(405, "method_not_allowed", call.method() + " is not allowed here; use " + allowed);
        }
        throw ApiException.notFound("no such endpoint: " + call.rawPath());
    }

    private static boolean matches(String[] pattern, String[] segments) {
        if (pattern.length != segments.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (!pattern[i].startsWith("{") && !pattern[i].equals(segments[i])) {
                return false;
            }
            if (pattern[i].startsWith("{") && segments[i].isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static void bind(Call call, String[] pattern, String[] segments) {
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].startsWith("{")) {
                call.pathParam(pattern[i].substring(1, pattern[i].length() - 1), Call.decode(segments[i]));
            }
        }
    }

    /**
     * Counts the SDK request against its endpoint's own allowance for the token at {@code address}: log batches, however
     * many a service sends, never use up what its snapshot fetches and stream connects need to follow a change.
     */
    private void limitSdkRequests(Call call, Principal principal, String address) {
        long wait = sdkRequests.acquire(call.route() + " " + principal.tokenId() + "@" + address);
        if (wait > 0) {
            call.setHeader("Retry-After", Long.toString(wait));
            throw new ApiException(
                    429,
                    "too_many_requests",
                    "this SDK token has made too many requests from this address in the last minute to " + call.route()
                            + "; retry in " + wait + " s");
        }
    }

    private void authorize(Call call, Access access) {
        if (access == Access.PUBLIC) {
            return;
        }
        String address = call.clientAddress();
        String header = call.header("Authorization");
        boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
        // A valid token always passes: behind a load balancer or NAT every client shares one address, and someone
        // sending bad tokens must not lock out the services and people sending good ones.
        Principal principal = bearer ? tokens.authenticate(header.substring(7).strip()) : null;
        if (!bearer && signIn != null) {
            principal = signIn.signedIn(call);
            if (principal != null) {
                OidcSignIn.checkCsrf(call);
            }
        }
        if (principal == null) {
            long blocked = failures.blockedForSeconds(address);
            if (blocked > 0) {
                call.setHeader("Retry-After", Long.toString(blocked));
                throw new ApiException(
                        429,
                        "too_many_failures",
                        "too many failed authentications from this address; retry in " + blocked + " s");
            }
            if (!bearer) {
                call.setHeader("WWW-Authenticate", "Bearer");
                throw new ApiException(
                        401,
                        "unauthorized",
                        signIn == null
                                ? "send a token as Authorization: Bearer <token>"
                                : "sign in, or send a token as Authorization: Bearer <token>");
            }
            failures.record(address);
            call.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw new ApiException(401, "unauthorized", "the token is unknown or revoked");
        }
        call.principal(principal);
        if (access == Access.SDK) {
            if (!principal.sdk()) {
                throw new ApiException(403, "forbidden", "this endpoint takes an SDK token, not an admin token");
            }
            limitSdkRequests(call, principal, address);
            return;
        }
        if (principal.sdk()) {
            throw new ApiException(403, "forbidden", "SDK tokens cannot use the admin API");
        }
        Role needed = Role.valueOf(access.name());
        if (!principal.role().includes(needed)) {
            throw new ApiException(
                    403,
                    "forbidden",
                    "this needs the " + needed.wireName() + " role; "
                            + (principal.person() ? "you have " : "the token has ")
                            + principal.role().wireName());
        }
    }
}
