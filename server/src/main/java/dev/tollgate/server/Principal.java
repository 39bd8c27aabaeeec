package dev.tollgate.server;

import java.time.Instant;

/**
 * Who is calling: an admin token with a role, an SDK token bound to one environment, or a person signed in through
 * OpenID Connect with a role.
 *
 * @param tokenId the token's id; 0 for a person
 * @param name the token's name, or the person's name, recorded as the author of what it changes
 * @param sdk whether this is an SDK token (read-only, one environment)
 * @param role an admin token's or a person's role; null for SDK tokens
 * @param environmentId an SDK token's environment; 0 otherwise
 * @param environment an SDK token's environment name; null otherwise
 * @param expiresAt when the token or the session stops working; null for never
 * @param subject a person's {@code sub} at the identity provider; null for tokens
 * @param email a person's e-mail address, or null
 */
record Principal(
        long tokenId,
        String name,
        boolean sdk,
        Role role,
        long environmentId,
        String environment,
        Instant expiresAt,
        String subject,
        String email) {

    /** A token's principal. */
    static Principal token(
            long tokenId,
            String name,
            boolean sdk,
            Role role,
            long environmentId,
            String environment,
            Instant expires) {
        return new Principal(tokenId, name, sdk, role, environmentId, environment, expires, null, null);
    }

    /** A signed-in person's principal. */
    static Principal person(String subject, String name, String email, Role role, Instant expiresAt) {
        return new Principal(0, name, false, role, 0, null, expiresAt, subject, email);
    }

    /** Whether this is a person signed in through OpenID Connect rather than a token. */
    boolean person() {
        return subject != null;
    }

    /**
     * The author recorded on revisions and in the audit log: the token's name and id, or the person's name and e-mail
     * ({@code Ana Silva <ana@example.com>}).
     */
    String author() {
        if (person()) {
            return email == null || email.equals(name) ? name : name + " <" + email + ">";
        }
        return name + " (token " + tokenId + ")";
    }

    /**
     * Who this is, for rules about people such as "authors cannot approve their own change": two principals with the
     * same identity are the same person. A token is its own identity; a person is their subject at the provider.
     */
    String identity() {
        return person() ? "oidc:" + subject : "token:" + tokenId;
    }

    /** The token id for the audit log's token_id column: null for a person. */
    Long auditTokenId() {
        return person() ? null : tokenId;
    }
}
