package dev.tollgate.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks the OpenID Connect and session settings of {@link ServerConfig}; every refusal names the setting by its
 * property key, as the rest of the configuration does.
 */
final class SignInSettings {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private SignInSettings() {}

    /**
     * Parses {@code tollgate.oidc.roles}: comma-separated {@code value=role} pairs such as {@code
     * tollgate-admins=admin,sales=editor}. Empty for none.
     */
    static Map<String, String> parseRoles(String text) {
        Map<String, String> roles = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.lastIndexOf('=');
            if (eq <= 0 || pair.substring(0, eq).isBlank()) {
                throw new IllegalArgumentException("tollgate.oidc.roles must be claim-value=role pairs separated by"
                        + " commas, such as tollgate-admins=admin,sales=editor; was \"" + pair.strip() + "\"");
            }
            String value = pair.substring(0, eq).strip();
            if (roles.put(value, pair.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("tollgate.oidc.roles maps \"" + value + "\" twice");
            }
        }
        return roles;
    }

    /** The role a {@code tollgate.oidc.roles} entry names, refused naming the setting when it is no role. */
    static Role role(String value, String role) {
        try {
            return Role.parse(role);
        } catch (ApiException e) {
            throw new IllegalArgumentException(
                    "tollgate.oidc.roles maps \"" + value + "\" to an unknown role: " + e.getMessage(), e);
        }
    }

    /** {@code tollgate.public.url} without its trailing slash; refused unless it is an http(s) origin. */
    static String publicUrl(String text) {
        if (text.isEmpty()) {
            return text;
        }
        String url = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        URI uri = parse("tollgate.public.url", url);
        boolean web = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
        if (!web
                || uri.getHost() == null
                || !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("tollgate.public.url must be the scheme, host and port people open the"
                    + " dashboard at, such as https://tollgate.example.com, was \"" + text + "\"");
        }
        return url;
    }

    static void check(
            String issuer,
            String clientId,
            String clientSecret,
            String roleClaim,
            Map<String, String> roles,
            String publicUrl,
            Duration idle,
            Duration absolute) {
        checkSessions(idle, absolute);
        if (issuer.isEmpty()) {
            refuseWithoutIssuer("tollgate.oidc.client.id", clientId);
            refuseWithoutIssuer("tollgate.oidc.client.secret", clientSecret);
            refuseWithoutIssuer("tollgate.oidc.roles", roles.isEmpty() ? "" : roles.toString());
            return;
        }
        checkIssuer(issuer);
        require("tollgate.oidc.client.id", clientId, "the client id registered at the provider");
        require("tollgate.oidc.role.claim", roleClaim, "the ID token claim that names the role, such as groups");
        require(
                "tollgate.public.url",
                publicUrl,
                "the base URL people open the dashboard at, such as https://tollgate.example.com; the provider"
                        + " redirects to it + /v1/auth/callback");
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("tollgate.oidc.roles must map at least one claim value to a role when"
                    + " tollgate.oidc.issuer is set, such as tollgate-admins=admin,sales=editor");
        }
        roles.forEach(SignInSettings::role);
    }

    private static void checkSessions(Duration idle, Duration absolute) {
        positive("tollgate.session.idle.timeout", idle);
        positive("tollgate.session.absolute.timeout", absolute);
        if (idle.compareTo(absolute) > 0) {
            throw new IllegalArgumentException("tollgate.session.idle.timeout (" + idle + ") must not be longer than"
                    + " tollgate.session.absolute.timeout (" + absolute + ")");
        }
    }

    private static void positive(String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(key + " must be positive, was " + value);
        }
        if (value.compareTo(ServerConfig.MAX_SESSION) > 0) {
            throw new IllegalArgumentException(key + " must be at most 365 days (P365D), was " + value);
        }
    }

    /** https, or http on a loopback address (a provider on the same machine, as in tests); no query or fragment. */
    private static void checkIssuer(String issuer) {
        URI uri = parse("tollgate.oidc.issuer", issuer);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        boolean secure = "https".equals(uri.getScheme()) || ("http".equals(uri.getScheme()) && LOOPBACK.contains(host));
        if (!secure || host.isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("tollgate.oidc.issuer must be an https URL without query or fragment"
                    + " (http only on localhost), such as https://login.example.com/realms/acme, was \"" + issuer
                    + "\"");
        }
    }

    private static URI parse(String key, String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + " is not a URL: " + e.getMessage(), e);
        }
    }

    private static void require(String key, String value, String what) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(key + " is required when tollgate.oidc.issuer is set: " + what);
        }
    }

    private static void refuseWithoutIssuer(String key, String value) {
        if (!value.isEmpty()) {
            throw new IllegalArgumentException(key + " is set but tollgate.oidc.issuer is not; set the issuer to turn"
                    + " on sign-in with OpenID Connect, or remove " + key);
        }
    }
}
