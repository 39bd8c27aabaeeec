package dev.tollgate.benchmarks.tollgate;

import dev.tollgate.Root;
import dev.tollgate.TollgateClient;
import dev.tollgate.schema.Schema;

/** The schema's root type: typed access to one {@link Root}. */
public final class Flags {
    static final int TEAM_ROLES_ENABLED = 1;
    static final int MAX_TEAM_SIZE = 2;
    static final int MAX_API_REQUESTS_PER_DAY = 3;
    static final int VERSION_HISTORY_ENABLED = 4;

    private final Root root;

    private Flags(Root root) {
        this.root = root;
    }

    /** The flags of {@code context}, pinned to the snapshot {@code client} has now. */
    public static Flags of(TollgateClient client, Context context) {
        return new Flags(client.root(context));
    }

    public Entitlements entitlements() {
        return new Entitlements(root);
    }

    /** Checks that the schema the client was built with has the field indexes these classes were generated for. */
    public static void checkSchema(Schema schema) {
        check(schema, "entitlements.teamRolesEnabled", TEAM_ROLES_ENABLED);
        check(schema, "entitlements.maxTeamSize", MAX_TEAM_SIZE);
        check(schema, "entitlements.maxApiRequestsPerDay", MAX_API_REQUESTS_PER_DAY);
        check(schema, "entitlements.versionHistoryEnabled", VERSION_HISTORY_ENABLED);
        slot(schema, "organization.id", 0);
        slot(schema, "organization.plan", 1);
        slot(schema, "user.id", 2);
    }

    private static void slot(Schema schema, String path, int slot) {
        int actual = schema.contextLayout().attribute(path).map(a -> a.slot()).orElse(-1);
        if (actual != slot) {
            throw new IllegalStateException("context slot of " + path + " is " + actual + ", not " + slot);
        }
    }

    private static void check(Schema schema, String path, int index) {
        if (schema.fieldIndex(path) != index) {
            throw new IllegalStateException(
                    path + " has index " + schema.fieldIndex(path) + ", not " + index + " as generated");
        }
    }
}
