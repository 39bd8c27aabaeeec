package dev.tollgate.server;

import java.time.Instant;

/**
 * Who is calling: an admin token with a role, or an SDK token bound to one environment.
 *
 * @param tokenId the token's id
 * @param name the token's name, recorded as the author of what it changes
 * @param sdk whether this is an SDK token (read-only, one environment)
 * @param role an admin token's role; null for SDK tokens
 * @param environmentId an SDK token's environment; 0 for admin tokens
 * @param environment an SDK token's environment name; null for admin tokens
 * @param expiresAt when the token stops working; null for never
 */
record Principal(
        long tokenId, String name, boolean sdk, Role role, long environmentId, String environment, Instant expiresAt) {

    /** The author recorded on revisions and in the audit log: the token's name and id. */
    String author() {
        return name + " (token " + tokenId + ")";
    }

    /**
     * Who this is, for rules about people such as "authors cannot approve their own change": two principals with the
     * same identity are the same person. A token is its own identity.
     */
    String identity() {
        return "token:" + tokenId;
    }
}
