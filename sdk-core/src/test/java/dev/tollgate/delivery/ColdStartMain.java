package dev.tollgate.delivery;

import dev.tollgate.DynamicInput;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A service's start for {@link ColdStartTest}, run in a JVM of its own: parses the schema file, starts a client from the
 * snapshot file, prints one value and closes. Uses nothing but the SDK, so that the classes the JVM loads are the ones a
 * start needs.
 */
final class ColdStartMain {
    private ColdStartMain() {}

    public static void main(String[] args) throws Exception {
        Schema schema = Schema.parse(Files.readString(Path.of(args[0])), "seed.graphql");
        try (TollgateClient client =
                TollgateClient.builder(schema).snapshotFile(Path.of(args[1])).build()) {
            DynamicInput context = DynamicInput.context(
                    schema, Map.of("organization", Map.of("id", "org_1", "plan", "PRO"), "user", Map.of("id", "u1")));
            System.out.println("maxTeamSize=" + client.root(context).intValue("entitlements.maxTeamSize", -1));
        }
    }
}
