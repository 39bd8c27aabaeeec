package dev.tollgate.server;

import java.util.Locale;

/** What an admin token may do; each role includes the ones before it. */
enum Role {
    /** Reads schema, logic, history, usage, explain. */
    VIEWER,
    /** Also sets and clears override values and segment membership: what sales and customer success do. */
    EDITOR,
    /**
     * Also approves or rejects other people's change requests of override rows and segment members, in an environment
     * that requires approval.
     */
    APPROVER,
    /**
     * Also approves change requests of field logic and new override tables; edits rules, defaults, segments, whole
     * logic, the schema, environments and tokens; restores revisions; sets whether an environment requires approval.
     */
    ADMIN;

    boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role parse(String text) {
        for (Role role : values()) {
            if (role.wireName().equals(text)) {
                return role;
            }
        }
        throw ApiException.badRequest("role must be viewer, editor, approver or admin, was \"" + text + "\"");
    }
}
