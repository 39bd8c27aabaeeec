package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.ManualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-in through OpenID Connect against a real provider (mock-oauth2-server on loopback), driven over HTTP without
 * following redirects, as a browser would: the login redirect, the provider's authorization endpoint, the callback,
 * and then the session cookie on the admin API. Each security check prints {@code SECURITY <check>: <result>}.
 */
class OidcSignInTest {
    static final String CLIENT_ID = "tollgate-dashboard";
    static final String ISSUER_ID = "company";
    private static final String OVERRIDE =
            "/v1/admin/environments/production/fields/entitlements.maxTeamSize/overrides/context.organization.id/org_42";
    private static final Map<String, Object> ANA =
            Map.of("name", "Ana Silva", "email", "ana@example.com", "groups", List.of("staff", "tollgate-admins"));

    private static MockOAuth2Server provider;
    private static TollgateServer server;
    private static Api anonymous;

    @BeforeAll
    static void start() {
        provider = new MockOAuth2Server();
        provider.start();
        server = TollgateServer.start(config(provider).build());
        anonymous = new Api(server.url(), null);
        TestServers.admin(server).put("/v1/admin/schema", TestServers.SCHEMA, "If-Match", "\"0\"");
    }

    @AfterAll
    static void stop() {
        server.close();
        provider.shutdown();
    }

    /** The test server's settings with sign-in through {@code provider}, on a port chosen now for the redirect URI. */
    static ServerConfig.Builder config(MockOAuth2Server provider) {
        int port = freePort();
        return TestServers.config(TestServers.Storage.H2)
                .port(port)
                .oidcIssuer(provider.issuerUrl(ISSUER_ID).toString())
                .oidcClientId(CLIENT_ID)
                .oidcRoles(Map.of("tollgate-admins", "admin", "sales", "editor", "support", "viewer"))
                .oidcProviderName("Acme SSO")
                .publicUrl("http://127.0.0.1:" + port);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void security(String check, String result) {
        System.out.println("SECURITY " + check + ": " + result);
    }

    // ---- the flow, step by step ----

    /** A login started at the server: the provider URL it redirects to, and the login cookie it set. */
    record Started(String authorizeUrl, String loginCookie, Api.Response answer) {
        String param(String name) {
            for (String pair : URI.create(authorizeUrl).getRawQuery().split("&")) {
                if (pair.startsWith(name + "=")) {
                    return Call.decode(pair.substring(name.length() + 1));
                }
            }
            return null;
        }
    }

    static Started startLogin(Api api) {
        Api.Response answer = api.get("/v1/auth/login");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(303);
        return new Started(answer.header("Location"), cookie(answer, OidcSignIn.LOGIN_COOKIE), answer);
    }

    /** Where the provider sends the browser back to: the callback URL with code and state. */
    static String authorize(Started started) {
        Api.Response answer = new Api("", null).get(started.authorizeUrl());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(302);
        return answer.header("Location");
    }

    static Api.Response callback(String callbackUrl, String loginCookie, String accept) {
        URI uri = URI.create(callbackUrl);
        String path = uri.getRawPath() + "?" + uri.getRawQuery();
        return loginCookie == null
                ? anonymous.get(path, "Accept", accept)
                : anonymous.get(path, "Accept", accept, "Cookie", OidcSignIn.LOGIN_COOKIE + "=" + loginCookie);
    }

    static void enqueue(Map<String, Object> claims, long expirySeconds) {
        provider.enqueueCallback(
                new DefaultOAuth2TokenCallback(ISSUER_ID, "ana-sub", "JWT", List.of(), claims, expirySeconds));
    }

    /** The whole sign-in with {@code claims} in the ID token; the callback's answer, asked for as JSON. */
    static Api.Response signIn(Api api, Map<String, Object> claims) {
        Started started = startLogin(api);
        String back = authorize(started);
        enqueue(claims, 3600);
        return callback(back, started.loginCookie(), "application/json");
    }

    static String sessionOf(Api.Response callback) {
        assertThat(callback.status()).as(callback.toString()).isEqualTo(200);
        return cookie(callback, "tollgate-session");
    }

    static String cookie(Api.Response answer, String name) {
        for (String header : answer.raw().headers().allValues("Set-Cookie")) {
            if (header.startsWith(name + "=")) {
                return header.substring(name.length() + 1, header.indexOf(';'));
            }
        }
        return null;
    }

    static String setCookie(Api.Response answer, String name) {
        return answer.raw().headers().allValues("Set-Cookie").stream()
                .filter(h -> h.startsWith(name + "="))
                .findFirst()
                .orElse(null);
    }

    static String[] session(String id, String... more) {
        String[] headers = new String[more.length + 2];
        headers[0] = "Cookie";
        headers[1] = "tollgate-session=" + id;
        System.arraycopy(more, 0, headers, 2, more.length);
        return headers;
    }

    static String message(Api.Response answer) {
        return answer.json().at("/error/message").asText();
    }

    // ---- tests ----

    @Test
    void signIn_withAMappedGroup_startsASession_thatNamesThePerson() {
        Started started = startLogin(anonymous);
        String back = authorize(started);
        enqueue(ANA, 3600);
        Api.Response page = callback(back, started.loginCookie(), "text/html");
        String id = sessionOf(page);

        JsonNode me = anonymous.get("/v1/auth/me", session(id)).json();

        assertThat(setCookie(started.answer(), OidcSignIn.LOGIN_COOKIE))
                .endsWith("; Path=/v1/auth; Max-Age=600; HttpOnly; SameSite=Lax");
        assertThat(setCookie(page, "tollgate-session"))
                .isEqualTo("tollgate-session=" + id + "; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict");
        assertThat(page.text())
                .contains("<meta http-equiv=\"refresh\" content=\"0;url=/\">")
                .contains("Signed in as Ana Silva &lt;ana@example.com&gt;.");
        assertThat(page.header("Content-Security-Policy")).isEqualTo(Dashboard.PAGE_POLICY);
        assertThat(me.get("kind").asText()).isEqualTo("person");
        assertThat(me.get("name").asText()).isEqualTo("Ana Silva");
        assertThat(me.get("email").asText()).isEqualTo("ana@example.com");
        assertThat(me.get("role").asText()).isEqualTo("admin");
        assertThat(me.get("identity").asText()).isEqualTo("oidc:ana-sub");
        assertThat(me.get("tokenId").isNull()).isTrue();
        assertThat(anonymous.get("/v1/auth/config").json().toString())
                .isEqualTo("{\"oidc\":true,\"provider\":\"Acme SSO\",\"login\":\"/v1/auth/login\"}");
        security("session cookie", "HttpOnly; SameSite=Strict; Path=/; only its SHA-256 stored");
    }

    @Test
    void theAuthorizationRequest_carriesAnS256Challenge_aNonceAndAState() {
        Started started = startLogin(anonymous);

        assertThat(started.authorizeUrl()).startsWith(provider.authorizationEndpointUrl(ISSUER_ID) + "?");
        assertThat(started.param("code_challenge_method")).isEqualTo("S256");
        assertThat(started.param("code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(started.param("nonce")).matches("[A-Za-z0-9_-]{43}");
        assertThat(started.param("state")).matches("[A-Za-z0-9_-]{43}");
        assertThat(started.param("client_id")).isEqualTo(CLIENT_ID);
        assertThat(started.param("redirect_uri"))
                .isEqualTo(server.url().replace("localhost", "127.0.0.1") + "/v1/auth/callback");
        security("PKCE", "authorization request carries code_challenge_method=S256");
    }

    @Test
    void aCodeRedeemedWithAnotherLoginsVerifier_isRefusedByTheProvider() {
        Started victim = startLogin(anonymous);
        String stolenCode = URI.create(authorize(victim)).getRawQuery().replaceAll(".*code=([^&]*).*", "$1");
        Started attacker = startLogin(anonymous);
        String attackerBack = authorize(attacker);
        String injected = attackerBack.replaceAll("code=[^&]*", "code=" + stolenCode);
        enqueue(ANA, 3600);

        Api.Response refused = callback(injected, attacker.loginCookie(), "application/json");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("sign_in_failed");
        assertThat(message(refused)).startsWith("the identity provider refused the authorization code: invalid_grant");
        assertThat(cookie(refused, "tollgate-session")).isNull();
        security("PKCE", "a code redeemed without its own verifier is refused: " + message(refused));
    }

    @Test
    void aCallbackWithoutState_orWithAnUnknownState_isRefused() {
        Started started = startLogin(anonymous);
        String back = authorize(started);

        Api.Response missing =
                callback(back.replaceAll("&?state=[^&]*", ""), started.loginCookie(), "application/json");
        Api.Response wrong = callback(
                back.replaceAll("state=[^&]*", "state=" + Sessions.random()),
                started.loginCookie(),
                "application/json");

        assertThat(missing.status()).isEqualTo(400);
        assertThat(message(missing)).isEqualTo("the callback has no state; start again from the sign-in page");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(message(wrong))
                .isEqualTo("the state is unknown, already used or expired; start again from the sign-in page");
        security("state", "missing state refused: " + message(missing));
        security("state", "wrong state refused: " + message(wrong));
    }

    @Test
    void aStateFromAnotherBrowser_isRefused_andAStateWorksOnce() {
        Started started = startLogin(anonymous);
        String back = authorize(started);
        Started mine = startLogin(anonymous);

        Api.Response otherBrowser = callback(back, mine.loginCookie(), "application/json");
        Api.Response replay = callback(back, started.loginCookie(), "application/json");

        assertThat(otherBrowser.status()).isEqualTo(400);
        assertThat(message(otherBrowser))
                .isEqualTo("the state belongs to a sign-in started in another browser (the sign-in cookie is missing"
                        + " or different); start again from the sign-in page");
        assertThat(replay.status())
                .as("the state was used up by the refused callback")
                .isEqualTo(400);
        assertThat(message(replay))
                .isEqualTo("the state is unknown, already used or expired; start again from the sign-in page");
        security("state", "bound to the login cookie: " + message(otherBrowser));
    }

    @Test
    void anIdTokenWithAnotherNonce_isRefused() {
        Map<String, Object> claims = new LinkedHashMap<>(ANA);
        claims.put("nonce", "a-nonce-from-another-sign-in");

        Api.Response refused = signIn(anonymous, claims);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(message(refused))
                .isEqualTo("the ID token's nonce does not match this sign-in's; start again from the sign-in page");
        security("nonce", "ID token with another nonce refused: " + message(refused));
    }

    @Test
    void anIdTokenForAnotherAudience_isRefused() {
        Map<String, Object> claims = new LinkedHashMap<>(ANA);
        claims.put("aud", List.of("another-app"));

        Api.Response refused = signIn(anonymous, claims);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(message(refused))
                .isEqualTo("the ID token is for the audience [another-app], which does not include this server's"
                        + " client id \"tollgate-dashboard\"");
        security("audience", "wrong aud refused: " + message(refused));
    }

    @Test
    void anIdTokenFromAnotherIssuer_isRefused() {
        Map<String, Object> claims = new LinkedHashMap<>(ANA);
        claims.put("iss", "https://login.evil.example/company");

        Api.Response refused = signIn(anonymous, claims);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(message(refused))
                .isEqualTo("the ID token was issued by \"https://login.evil.example/company\", not by the configured"
                        + " issuer \"" + provider.issuerUrl(ISSUER_ID) + "\"");
        security("issuer", "wrong iss refused: " + message(refused));
    }

    @Test
    void anExpiredIdToken_isRefused() {
        Started started = startLogin(anonymous);
        String back = authorize(started);
        enqueue(ANA, -600);

        Api.Response refused = callback(back, started.loginCookie(), "application/json");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(message(refused)).startsWith("the ID token expired at ").contains("; it is ");
        security("expiry", "expired ID token refused: " + message(refused));
    }

    @Test
    void aPersonWhoseGroupsMapToNoRole_isRefused_withAPageThatSaysSo() {
        Started started = startLogin(anonymous);
        String back = authorize(started);
        enqueue(Map.of("name", "Bo Berg", "email", "bo@example.com", "groups", List.of("staff")), 3600);

        Api.Response page = callback(back, started.loginCookie(), "text/html");

        assertThat(page.status()).isEqualTo(403);
        assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.text())
                .contains("<h1>Sign-in failed</h1>")
                .contains("Bo Berg &lt;bo@example.com&gt; signed in, but the ID token&#39;s groups claim [staff]"
                        + " maps to no Tollgate role; ask a Tollgate administrator to give you access");
        assertThat(cookie(page, "tollgate-session")).isNull();
        security("role mapping", "unmapped groups refused with 403");
    }

    @Test
    void aStringRoleClaim_mapsToo() {
        Map<String, Object> claims = Map.of("preferred_username", "cy", "groups", "sales");

        String id = sessionOf(signIn(anonymous, claims));
        JsonNode me = anonymous.get("/v1/auth/me", session(id)).json();

        assertThat(me.get("role").asText()).isEqualTo("editor");
        assertThat(me.get("name").asText()).isEqualTo("cy");
        assertThat(me.get("author").asText()).isEqualTo("cy");
    }

    @Test
    void logout_endsTheSession_andTheOldCookieGets401() {
        String id = sessionOf(signIn(anonymous, ANA));

        Api.Response withoutHeader = anonymous.post("/v1/auth/logout", null, session(id));
        Api.Response out = anonymous.post("/v1/auth/logout", null, session(id, "Tollgate-CSRF", "1"));
        Api.Response after = anonymous.get("/v1/auth/me", session(id));

        assertThat(withoutHeader.status()).isEqualTo(403);
        assertThat(out.status()).isEqualTo(204);
        assertThat(setCookie(out, "tollgate-session"))
                .isEqualTo("tollgate-session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.json().at("/error/code").asText()).isEqualTo("session_ended");
        assertThat(message(after))
                .isEqualTo("your session has ended (signed out, unused for 30m or older than 12h); sign in again");
        security("logout", "old cookie after logout gets " + after.status() + ": " + message(after));
    }

    @Test
    void aCookieAuthenticatedWrite_needsTheCsrfHeader_butATokenDoesNot() {
        String id = sessionOf(signIn(anonymous, ANA));
        Api admin = TestServers.admin(server);
        long revision = Long.parseLong(admin.get("/v1/admin/environments/production/logic")
                .header("ETag")
                .replace("\"", ""));

        Api.Response put = anonymous.put(OVERRIDE, Map.of("value", 7), session(id, "If-Match", Api.ifMatch(revision)));
        Api.Response delete = anonymous.delete(OVERRIDE, session(id, "If-Match", Api.ifMatch(revision)));
        Api.Response post = anonymous.post(
                "/v1/admin/tokens", Map.of("name", "ci", "kind", "admin", "role", "viewer"), session(id));
        Api.Response withToken =
                admin.post("/v1/admin/tokens", Map.of("name", "ci", "kind", "admin", "role", "viewer"));

        for (Api.Response refused : List.of(put, delete, post)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.json().at("/error/code").asText()).isEqualTo("csrf");
        }
        assertThat(message(put))
                .isEqualTo("a PUT signed in with the session cookie must carry the header Tollgate-CSRF: 1, which a"
                        + " page on another site cannot send");
        assertThat(withToken.status()).as("a token needs no CSRF header").isEqualTo(201);
        security(
                "CSRF", "cookie-authenticated PUT/DELETE/POST without Tollgate-CSRF refused with 403: " + message(put));
    }

    @Test
    void aPersonsEdit_isAuthoredByTheirNameAndEmail_inHistoryAndAudit() {
        String id = sessionOf(signIn(anonymous, ANA));
        Api admin = TestServers.admin(server);
        long revision = Long.parseLong(admin.get("/v1/admin/environments/production/logic")
                .header("ETag")
                .replace("\"", ""));

        Api.Response set = anonymous.put(
                OVERRIDE,
                Map.of("value", 60, "message", "trial"),
                session(id, "Tollgate-CSRF", "1", "If-Match", Api.ifMatch(revision)));
        JsonNode latest = admin.get("/v1/admin/environments/production/revisions")
                .json()
                .get("revisions")
                .get(0);
        JsonNode audit = admin.get("/v1/admin/audit?environment=production").json();

        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().get("author").asText()).isEqualTo("Ana Silva <ana@example.com>");
        assertThat(latest.get("author").asText()).isEqualTo("Ana Silva <ana@example.com>");
        JsonNode entry = audit.findParents("actor").get(0);
        assertThat(entry.get("actor").asText()).isEqualTo("Ana Silva <ana@example.com>");
        assertThat(entry.get("tokenId").isNull()).isTrue();
        security(
                "authorship", "history and audit name \"" + latest.get("author").asText() + "\"");
    }

    @Test
    void aBearerToken_isJudgedAlone_evenWithASessionCookie() {
        String id = sessionOf(signIn(anonymous, ANA));

        Api.Response withBadToken = anonymous.get(
                "/v1/admin/environments", "Authorization", "Bearer tga_unknown", "Cookie", "tollgate-session=" + id);
        Api.Response noCredentials = anonymous.get("/v1/admin/environments");

        assertThat(withBadToken.status()).isEqualTo(401);
        assertThat(message(withBadToken)).isEqualTo("the token is unknown or revoked");
        assertThat(noCredentials.status()).isEqualTo(401);
        assertThat(message(noCredentials)).isEqualTo("sign in, or send a token as Authorization: Bearer <token>");
        security("token sign-in", "a Bearer request is judged by its token alone");
    }

    @Test
    void aSession_endsWhenIdle_andAtItsAbsoluteLimit() {
        Instant start = Instant.now();
        ManualClock clock = ManualClock.at(start);
        try (TollgateServer timed = TollgateServer.start(config(provider).build(), clock)) {
            Api api = new Api(timed.url(), null);
            String idle = sessionOf(signInAt(api, timed));
            String busy = sessionOf(signInAt(api, timed));

            clock.advance(Duration.ofMinutes(29));
            int idleAfter29 = api.get("/v1/auth/me", session(idle)).status();
            assertThat(api.get("/v1/auth/me", session(busy)).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(25));
            assertThat(api.get("/v1/auth/me", session(busy)).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(6));
            int idleAfter31 = api.get("/v1/auth/me", session(idle)).status();
            for (int minutes = 60; minutes < 12 * 60; minutes += 25) {
                assertThat(api.get("/v1/auth/me", session(busy)).status())
                        .as("used every 25 minutes, at minute " + minutes)
                        .isEqualTo(200);
                clock.advance(Duration.ofMinutes(25));
            }
            clock.set(start.plus(Duration.ofHours(12)).plusSeconds(1));
            Api.Response busyAfter12h = api.get("/v1/auth/me", session(busy));

            assertThat(idleAfter29).isEqualTo(200);
            assertThat(idleAfter31).isEqualTo(401);
            assertThat(busyAfter12h.status()).isEqualTo(401);
            assertThat(message(busyAfter12h)).startsWith("your session has ended");
            security("idle expiry", "unused for 31 min (limit 30 min): " + idleAfter31);
            security("absolute expiry", "used every 25 min, after 12 h: " + busyAfter12h.status());
        }
    }

    private static Api.Response signInAt(Api api, TollgateServer timed) {
        Started started = startLogin(api);
        String back = authorize(started);
        enqueue(ANA, 3600);
        URI uri = URI.create(back);
        return api.get(
                uri.getRawPath() + "?" + uri.getRawQuery(),
                "Accept",
                "application/json",
                "Cookie",
                OidcSignIn.LOGIN_COOKIE + "=" + started.loginCookie());
    }
}
