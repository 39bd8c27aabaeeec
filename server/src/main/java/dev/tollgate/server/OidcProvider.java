package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The OpenID Connect provider as the server talks to it, over the JDK's HTTP client with timeouts: its discovery
 * document ({@code <issuer>/.well-known/openid-configuration}) and signing keys (JWKS), each cached for {@link #CACHE},
 * and the token endpoint, which turns an authorization code and its PKCE verifier into an ID token.
 *
 * <p>Caches are replaced whole through volatile fields: a request that reads a stale value reads a complete one, and
 * two requests that refresh at once both fetch, harmlessly.
 */
final class OidcProvider {
    /** How long the discovery document and the keys are kept before they are fetched again. */
    static final Duration CACHE = Duration.ofHours(1);
    /** An unknown key id fetches the keys again (the provider rotated them), at most this often. */
    static final Duration KEY_REFETCH = Duration.ofSeconds(30);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final String issuer;
    private final String clientId;
    private final String clientSecret;
    private final Clock clock;
    private final HttpClient http;
    private volatile Cached<Discovery> discovery;
    private volatile Cached<JWKSet> keys;

    /** The endpoints the sign-in uses, from the discovery document. */
    record Discovery(String authorizationEndpoint, String tokenEndpoint, String jwksUri) {}

    private record Cached<T>(T value, Instant fetchedAt) {}

    OidcProvider(String issuer, String clientId, String clientSecret, Clock clock) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    String issuer() {
        return issuer;
    }

    String clientId() {
        return clientId;
    }

    /** The discovery document, fetched when not cached or older than {@link #CACHE}. */
    Discovery discovery() {
        Cached<Discovery> cached = discovery;
        if (cached == null || fresh(cached, CACHE)) {
            cached = new Cached<>(fetchDiscovery(), clock.instant());
            discovery = cached;
        }
        return cached.value();
    }

    private boolean fresh(Cached<?> cached, Duration age) {
        return !clock.instant().isBefore(cached.fetchedAt().plus(age));
    }

    private Discovery fetchDiscovery() {
        String url = stripSlash(issuer) + "/.well-known/openid-configuration";
        JsonNode document = parseOrNull(get(url, "discovery document"));
        if (document == null || !document.isObject()) {
            throw unavailable("the identity provider's discovery document at " + url + " is not a JSON object");
        }
        String named = document.path("issuer").asText("");
        if (!named.equals(issuer)) {
            throw unavailable("the discovery document at " + url + " names the issuer \"" + named
                    + "\", not the configured tollgate.oidc.issuer \"" + issuer + "\"");
        }
        return new Discovery(
                endpoint(document, "authorization_endpoint", url),
                endpoint(document, "token_endpoint", url),
                endpoint(document, "jwks_uri", url));
    }

    private static String endpoint(JsonNode document, String name, String url) {
        String value = document.path(name).asText("");
        if (!value.startsWith("https://") && !value.startsWith("http://")) {
            throw unavailable("the discovery document at " + url + " has no " + name);
        }
        return value;
    }

    /**
     * The issuer's signing keys; {@code refetch} asks for fresh ones (a key id was not found), which happens at most
     * every {@link #KEY_REFETCH}.
     */
    JWKSet keys(boolean refetch) {
        Cached<JWKSet> cached = keys;
        if (cached == null || fresh(cached, CACHE) || (refetch && fresh(cached, KEY_REFETCH))) {
            cached = new Cached<>(fetchKeys(), clock.instant());
            keys = cached;
        }
        return cached.value();
    }

    private JWKSet fetchKeys() {
        String url = discovery().jwksUri();
        try {
            return JWKSet.parse(new String(get(url, "signing keys (JWKS)"), StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw unavailable(
                    "the identity provider's signing keys at " + url + " are not a JWK set: " + e.getMessage());
        }
    }

    /**
     * Exchanges an authorization code and its PKCE verifier for the ID token (compact JWS). A confidential client
     * authenticates with HTTP Basic (client_secret_basic); a public client sends its client_id.
     *
     * @throws ApiException 401 when the provider refuses the code, 502 when it cannot be reached
     */
    String exchange(String code, String verifier, String redirectUri) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("code_verifier", verifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(discovery().tokenEndpoint()))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        if (clientSecret.isEmpty()) {
            form.put("client_id", clientId);
        } else {
            request.header("Authorization", basic());
        }
        HttpResponse<byte[]> response = send(
                request.POST(HttpRequest.BodyPublishers.ofString(encode(form))).build());
        return idToken(response);
    }

    private static String idToken(HttpResponse<byte[]> response) {
        JsonNode body = parseOrNull(response.body());
        if (response.statusCode() != 200) {
            String error = body == null
                    ? "HTTP " + response.statusCode()
                    : body.path("error").asText("unknown");
            String description =
                    body == null ? "" : body.path("error_description").asText("");
            throw new ApiException(
                    401,
                    "sign_in_failed",
                    "the identity provider refused the authorization code: " + error
                            + (description.isEmpty() ? "" : " (" + description + ")"));
        }
        if (body == null || !body.path("id_token").isTextual()) {
            throw unavailable("the identity provider's token response has no id_token");
        }
        return body.get("id_token").asText();
    }

    private static JsonNode parseOrNull(byte[] body) {
        try {
            return Json.parse(body);
        } catch (ApiException e) {
            return null;
        }
    }

    /** client_secret_basic: the id and secret form-encoded, then joined and base64-encoded (RFC 6749 2.3.1). */
    private String basic() {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private byte[] get(String url, String what) {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build());
        if (response.statusCode() != 200) {
            throw unavailable(
                    "cannot read the identity provider's " + what + " at " + url + ": HTTP " + response.statusCode());
        }
        return response.body();
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable("cannot reach the identity provider at " + request.uri() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while calling the identity provider at " + request.uri());
        }
    }

    private static ApiException unavailable(String message) {
        return new ApiException(502, "provider_unavailable", message);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
