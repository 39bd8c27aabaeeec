package dev.tollgate.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Verifies an ID token from the token endpoint (OpenID Connect Core 3.1.3.7): an RS256 or ES256 signature by one of
 * the issuer's keys, {@code iss} equal to the configured issuer, {@code aud} containing the client id (and {@code azp}
 * equal to it when there are several audiences), {@code exp} and {@code iat} within {@link #SKEW} of the server's
 * clock, and the {@code nonce} of the login transaction. Then reads who the person is and the role their claim maps
 * to. Every refusal is a 401 (403 for a person without a role) that says which check failed.
 */
final class IdTokenVerifier {
    /** How far the provider's clock may be from the server's. */
    static final Duration SKEW = Duration.ofSeconds(60);

    private static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

    private final OidcProvider provider;
    private final String roleClaim;
    private final Map<String, Role> roles;
    private final Clock clock;

    IdTokenVerifier(OidcProvider provider, String roleClaim, Map<String, Role> roles, Clock clock) {
        this.provider = provider;
        this.roleClaim = roleClaim;
        this.roles = Map.copyOf(roles);
        this.clock = clock;
    }

    /** The person the ID token names, after every check. */
    Sessions.Person verify(String idToken, String nonce) {
        SignedJWT jwt = parse(idToken);
        checkSignature(jwt);
        JWTClaimsSet claims = claims(jwt);
        checkIssuerAndAudience(claims);
        checkTimes(claims);
        if (!nonce.equals(string(claims, "nonce"))) {
            throw refused("the ID token's nonce does not match this sign-in's; start again from the sign-in page");
        }
        return person(claims);
    }

    private static SignedJWT parse(String idToken) {
        try {
            return SignedJWT.parse(idToken);
        } catch (ParseException e) {
            throw refused("the ID token is not a signed JWT: " + e.getMessage());
        }
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused("the ID token's claims are not a JSON object: " + e.getMessage());
        }
    }

    private void checkSignature(SignedJWT jwt) {
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!ALGORITHMS.contains(algorithm)) {
            throw refused("the ID token is signed with " + algorithm + "; only RS256 and ES256 are accepted");
        }
        List<JWK> candidates = candidates(jwt, false);
        if (candidates.isEmpty()) {
            candidates = candidates(jwt, true);
        }
        if (candidates.isEmpty()) {
            throw refused("the ID token is signed with a key (kid "
                    + jwt.getHeader().getKeyID() + ") that is not among the issuer's signing keys");
        }
        for (JWK key : candidates) {
            if (verifies(jwt, key)) {
                return;
            }
        }
        throw refused("the ID token's signature does not verify with the issuer's signing key");
    }

    /** The issuer's keys that match the token's key id (when it has one) and algorithm. */
    private List<JWK> candidates(SignedJWT jwt, boolean refetch) {
        KeyType type = jwt.getHeader().getAlgorithm().equals(JWSAlgorithm.ES256) ? KeyType.EC : KeyType.RSA;
        JWKMatcher.Builder matcher = new JWKMatcher.Builder().keyType(type);
        if (jwt.getHeader().getKeyID() != null) {
            matcher.keyID(jwt.getHeader().getKeyID());
        }
        return new JWKSelector(matcher.build()).select(provider.keys(refetch));
    }

    private static boolean verifies(SignedJWT jwt, JWK key) {
        try {
            JWSVerifier verifier = key instanceof ECKey ec
                    ? new ECDSAVerifier(ec.toECPublicKey())
                    : new RSASSAVerifier(((RSAKey) key).toRSAPublicKey());
            return jwt.verify(verifier);
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }

    private void checkIssuerAndAudience(JWTClaimsSet claims) {
        if (!provider.issuer().equals(claims.getIssuer())) {
            throw refused("the ID token was issued by \"" + claims.getIssuer() + "\", not by the configured issuer \""
                    + provider.issuer() + "\"");
        }
        List<String> audience = claims.getAudience();
        if (!audience.contains(provider.clientId())) {
            throw refused("the ID token is for the audience " + audience + ", which does not include this server's"
                    + " client id \"" + provider.clientId() + "\"");
        }
        String authorizedParty = string(claims, "azp");
        if (audience.size() > 1 && authorizedParty != null && !authorizedParty.equals(provider.clientId())) {
            throw refused("the ID token was issued to \"" + authorizedParty + "\" (azp), not to this server's client"
                    + " id \"" + provider.clientId() + "\"");
        }
    }

    private void checkTimes(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date expires = claims.getExpirationTime();
        Date issued = claims.getIssueTime();
        if (expires == null || issued == null) {
            throw refused("the ID token has no " + (expires == null ? "exp" : "iat") + " claim");
        }
        if (!now.isBefore(expires.toInstant().plus(SKEW))) {
            throw refused("the ID token expired at " + expires.toInstant() + "; it is " + now + " on this server");
        }
        if (issued.toInstant().isAfter(now.plus(SKEW))) {
            throw refused("the ID token was issued at " + issued.toInstant() + ", in the future; it is " + now
                    + " on this server");
        }
    }

    private Sessions.Person person(JWTClaimsSet claims) {
        String subject = claims.getSubject();
        if (subject == null || subject.isEmpty()) {
            throw refused("the ID token has no sub claim");
        }
        String email = string(claims, "email");
        String name = first(string(claims, "name"), string(claims, "preferred_username"), email, subject);
        List<String> values = claimValues(claims.getClaim(roleClaim));
        Role role = highestRole(values);
        if (role == null) {
            String who = email == null || email.equals(name) ? name : name + " <" + email + ">";
            throw new ApiException(
                    403,
                    "no_role",
                    who + " signed in, but the ID token's " + roleClaim + " claim " + values
                            + " maps to no Tollgate role; ask a Tollgate administrator to give you access");
        }
        return new Sessions.Person(subject, name, email, role);
    }

    /** The role claim's values: a string is one value, an array its strings; anything else none. */
    static List<String> claimValues(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim instanceof String text) {
            values.add(text);
        } else if (claim instanceof Collection<?> items) {
            for (Object item : items) {
                if (item instanceof String text) {
                    values.add(text);
                }
            }
        }
        return values;
    }

    private Role highestRole(List<String> values) {
        Role highest = null;
        for (String value : values) {
            Role role = roles.get(value);
            if (role != null && (highest == null || role.includes(highest))) {
                highest = role;
            }
        }
        return highest;
    }

    private static String string(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String text && !text.isBlank() ? text : null;
    }

    private static String first(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    private static ApiException refused(String message) {
        return new ApiException(401, "sign_in_failed", message);
    }
}
