package dev.tollgate.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * People sign in to the dashboard through OpenID Connect: the authorization code flow with PKCE (S256), a nonce, and a
 * state bound to the browser by a short-lived cookie. The routes:
 *
 * <ul>
 *   <li>{@code GET /v1/auth/config}: whether sign-in is on, and what to call the provider;
 *   <li>{@code GET /v1/auth/login}: stores a login transaction, sets the login cookie ({@code SameSite=Lax}: the
 *       callback is a cross-site navigation) and redirects to the provider;
 *   <li>{@code GET /v1/auth/callback}: checks the state and the cookie, exchanges the code with the verifier, verifies
 *       the ID token ({@link IdTokenVerifier}), starts a session and sets its cookie ({@code HttpOnly; SameSite=Strict;
 *       Path=/}, {@code Secure} and the {@code __Host-} prefix on https). It answers with a small page that moves on to
 *       the dashboard, because a Strict cookie set at the end of a cross-site redirect chain is not sent on a redirect
 *       to the next page, but is on a navigation the page starts;
 *   <li>{@code GET /v1/auth/me}: who is calling, person or token;
 *   <li>{@code POST /v1/auth/logout}: ends the session and clears its cookie.
 * </ul>
 *
 * <p>A request authenticated by the session cookie that changes something must carry {@value #CSRF_HEADER}: a
 * cross-site form cannot send a custom header, and a cross-site script could only after a CORS preflight, which this
 * server never allows ({@link #checkCsrf(Call)}).
 */
final class OidcSignIn {
    static final String CSRF_HEADER = "Tollgate-CSRF";
    static final String LOGIN_COOKIE = "tollgate-login";

    private static final Logger LOG = LoggerFactory.getLogger(OidcSignIn.class);
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String NOT_CONFIGURED =
            "sign-in with OpenID Connect is not configured on this server (tollgate.oidc.issuer is not set)";

    private final ServerConfig config;
    private final Sessions sessions;
    private final OidcProvider provider;
    private final IdTokenVerifier verifier;
    private final Database db;
    private final AuditLog audit;
    private final boolean secure;

    /** Sign-in as {@code config} says; {@code db}, {@code audit} and {@code clock} may be null when it is off. */
    OidcSignIn(ServerConfig config, Database db, AuditLog audit, Clock clock) {
        this.config = config;
        this.db = db;
        this.audit = audit;
        this.secure = config.publicUrl().startsWith("https://");
        if (config.oidcEnabled()) {
            sessions = new Sessions(db, clock, config.sessionIdleTimeout(), config.sessionAbsoluteTimeout());
            provider = new OidcProvider(config.oidcIssuer(), config.oidcClientId(), config.oidcClientSecret(), clock);
            verifier = new IdTokenVerifier(provider, config.oidcRoleClaim(), roles(config), clock);
        } else {
            sessions = null;
            provider = null;
            verifier = null;
        }
    }

    private static Map<String, Role> roles(ServerConfig config) {
        Map<String, Role> roles = new LinkedHashMap<>();
        config.oidcRoles().forEach((value, role) -> roles.put(value, SignInSettings.role(value, role)));
        return roles;
    }

    void register(Router r) {
        r.add("GET", "/v1/auth/config", Router.Access.PUBLIC, this::describe);
        r.add("GET", "/v1/auth/login", Router.Access.PUBLIC, this::login);
        r.add("GET", "/v1/auth/callback", Router.Access.PUBLIC, this::callback);
        r.add("GET", "/v1/auth/me", Router.Access.VIEWER, OidcSignIn::me);
        r.add("POST", "/v1/auth/logout", Router.Access.PUBLIC, this::logout);
    }

    /** The session cookie's name: with the {@code __Host-} prefix on https, so no subdomain can set or widen it. */
    String sessionCookie() {
        return secure ? "__Host-tollgate-session" : "tollgate-session";
    }

    /**
     * The person whose session cookie {@code call} carries, or null when it carries none or sign-in is off; throws 401
     * when the cookie names a session that has ended.
     */
    Principal signedIn(Call call) {
        String id = sessions == null ? null : call.cookie(sessionCookie());
        if (id == null) {
            return null;
        }
        Principal person = sessions.authenticate(id);
        if (person == null) {
            throw new ApiException(
                    401,
                    "session_ended",
                    "your session has ended (signed out, unused for " + human(config.sessionIdleTimeout())
                            + " or older than " + human(config.sessionAbsoluteTimeout()) + "); sign in again");
        }
        return person;
    }

    /** Refuses a state-changing request authenticated by the session cookie without {@value #CSRF_HEADER}. */
    static void checkCsrf(Call call) {
        String header = call.header(CSRF_HEADER);
        if (!SAFE_METHODS.contains(call.method().toUpperCase(Locale.ROOT)) && (header == null || header.isBlank())) {
            throw new ApiException(
                    403,
                    "csrf",
                    "a " + call.method() + " signed in with the session cookie must carry the header " + CSRF_HEADER
                            + ": 1, which a page on another site cannot send");
        }
    }

    // ---- handlers ----

    private void describe(Call call) throws IOException {
        ObjectNode body = Json.object();
        body.put("oidc", config.oidcEnabled());
        if (config.oidcEnabled()) {
            body.put("provider", config.oidcProviderName().isEmpty() ? null : config.oidcProviderName());
            body.put("login", "/v1/auth/login");
        }
        call.json(200, body);
    }

    private void login(Call call) throws IOException {
        requireEnabled();
        OidcProvider.Discovery discovery = provider.discovery();
        String browser = Sessions.random();
        Sessions.Login login =
                new Sessions.Login(Sessions.random(), Tokens.sha256Hex(browser), Sessions.random(), Sessions.random());
        sessions.saveLogin(login);
        call.addHeader(
                "Set-Cookie", cookie(LOGIN_COOKIE, browser, "/v1/auth", "Lax", Sessions.LOGIN_LIFETIME.toSeconds()));
        call.setHeader("Cache-Control", "no-store");
        call.setHeader("Location", authorizationUrl(discovery, login));
        call.empty(303);
    }

    private String authorizationUrl(OidcProvider.Discovery discovery, Sessions.Login login) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", config.oidcClientId());
        query.put("redirect_uri", redirectUri());
        query.put("scope", "openid profile email");
        query.put("state", login.state());
        query.put("nonce", login.nonce());
        query.put("code_challenge", challenge(login.codeVerifier()));
        query.put("code_challenge_method", "S256");
        String endpoint = discovery.authorizationEndpoint();
        return endpoint + (endpoint.contains("?") ? "&" : "?") + OidcProvider.encode(query);
    }

    /** The redirect URI to register at the provider. */
    String redirectUri() {
        return config.publicUrl() + "/v1/auth/callback";
    }

    /** PKCE S256: the verifier's SHA-256 in URL-safe base64 without padding (RFC 7636 4.2). */
    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private void callback(Call call) throws IOException {
        call.setHeader("Cache-Control", "no-store");
        call.addHeader("Set-Cookie", cookie(LOGIN_COOKIE, "", "/v1/auth", "Lax", 0));
        try {
            requireEnabled();
            Principal person = signIn(call);
            call.addHeader(
                    "Set-Cookie", cookie(sessionCookie(), sessions.create(toPerson(person)), "/", "Strict", maxAge()));
            page(call, 200, "Signed in", "Signed in as " + person.author() + ". Opening the dashboard...", true);
        } catch (ApiException e) {
            LOG.info("Sign-in refused: {}", e.getMessage());
            if (wantsJson(call)) {
                call.error(e);
            } else {
                page(call, e.status(), "Sign-in failed", e.getMessage(), false);
            }
        }
    }

    /** Checks the callback, redeems the code, verifies the ID token; the person it names, audited as signed in. */
    private Principal signIn(Call call) {
        Sessions.Login login = takeLogin(call);
        String code = call.query("code", "");
        if (code.isEmpty()) {
            throw badState("the callback has no authorization code");
        }
        String idToken = provider.exchange(code, login.codeVerifier(), redirectUri());
        Sessions.Person person = verifier.verify(idToken, login.nonce());
        Principal principal = Principal.person(person.subject(), person.name(), person.email(), person.role(), null);
        db.transaction(c -> {
            audit.record(c, principal, call.clientAddress(), "sign_in", null, principal.identity(), role(person));
            return null;
        });
        LOG.info("{} signed in as {}", principal.author(), person.role().wireName());
        return principal;
    }

    private static String role(Sessions.Person person) {
        return "role " + person.role().wireName();
    }

    private static Sessions.Person toPerson(Principal p) {
        return new Sessions.Person(p.subject(), p.name(), p.email(), p.role());
    }

    /** The login transaction the callback's state names, taken (used up), and checked against the login cookie. */
    private Sessions.Login takeLogin(Call call) {
        String error = call.query("error", null);
        String state = call.query("state", "");
        if (error != null) {
            if (!state.isEmpty()) {
                sessions.takeLogin(state);
            }
            String description = call.query("error_description", "");
            throw new ApiException(
                    401,
                    "sign_in_failed",
                    "the identity provider did not sign you in: " + error
                            + (description.isEmpty() ? "" : " (" + description + ")"));
        }
        if (state.isEmpty()) {
            throw badState("the callback has no state");
        }
        String browser = call.cookie(LOGIN_COOKIE);
        Sessions.Login login = sessions.takeLogin(state);
        if (login == null) {
            throw badState("the state is unknown, already used or expired");
        }
        if (browser == null
                || !MessageDigest.isEqual(
                        Tokens.sha256Hex(browser).getBytes(StandardCharsets.US_ASCII),
                        login.browserHash().getBytes(StandardCharsets.US_ASCII))) {
            throw badState("the state belongs to a sign-in started in another browser (the sign-in cookie is"
                    + " missing or different)");
        }
        return login;
    }

    private static ApiException badState(String why) {
        return new ApiException(400, "bad_state", why + "; start again from the sign-in page");
    }

    private static void me(Call call) throws IOException {
        Principal who = call.principal();
        ObjectNode me = Json.object();
        me.put("kind", who.person() ? "person" : "token");
        me.put("name", who.name());
        me.put("email", who.email());
        me.put("role", who.role().wireName());
        me.put("identity", who.identity());
        me.put("author", who.author());
        me.put("tokenId", who.auditTokenId());
        me.put("expiresAt", who.expiresAt() == null ? null : who.expiresAt().toString());
        call.json(200, me);
    }

    private void logout(Call call) throws IOException {
        String id = sessions == null ? null : call.cookie(sessionCookie());
        if (id != null) {
            checkCsrf(call);
            Principal person = sessions.authenticate(id);
            sessions.delete(id);
            if (person != null) {
                db.transaction(c -> {
                    audit.record(c, person, call.clientAddress(), "sign_out", null, person.identity(), null);
                    return null;
                });
            }
        }
        call.addHeader("Set-Cookie", cookie(sessionCookie(), "", "/", "Strict", 0));
        call.setHeader("Cache-Control", "no-store");
        call.empty(204);
    }

    // ---- helpers ----

    private void requireEnabled() {
        if (sessions == null) {
            throw ApiException.notFound(NOT_CONFIGURED);
        }
    }

    private long maxAge() {
        return config.sessionAbsoluteTimeout().toSeconds();
    }

    private String cookie(String name, String value, String path, String sameSite, long maxAge) {
        return name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge + "; HttpOnly; SameSite=" + sameSite
                + (secure ? "; Secure" : "");
    }

    private static boolean wantsJson(Call call) {
        String accept = call.header("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    private static String human(java.time.Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /**
     * A small page of the server's own: the sign-in's outcome, and on success a {@code <meta http-equiv=refresh>} to
     * the dashboard (no script: the page policy allows none inline).
     */
    private static void page(Call call, int status, String title, String message, boolean next) throws IOException {
        String html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + (next ? "<meta http-equiv=\"refresh\" content=\"0;url=/\">\n" : "")
                + "<title>Tollgate: " + title + "</title>\n<link rel=\"stylesheet\" href=\"/dashboard/app.css\">\n"
                + "</head>\n<body>\n<main class=\"card narrow\">\n<h1>" + title + "</h1>\n<p id=\"message\">"
                + escape(message) + "</p>\n<p><a href=\"/\">" + (next ? "Open the dashboard" : "Back to sign-in")
                + "</a></p>\n</main>\n</body>\n</html>\n";
        call.setHeader("Content-Security-Policy", Dashboard.PAGE_POLICY);
        call.bytes(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
