package dev.tollgate.openfeature;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The team service's schema and snapshot file behind OpenFeature: prints {@code maxTeamSize} for three organizations
 * with value, variant and reason. Run from the module directory ({@code integrations/openfeature}), where the example's
 * files are two levels up; OpenFeatureDemoTest runs it and checks what it prints.
 */
public final class OpenFeatureDemo {
    static final Path EXAMPLE = Path.of("..", "..", "examples", "team-service");

    private OpenFeatureDemo() {}

    public static void main(String[] args) {
        run(System.out);
    }

    static void run(PrintStream out) {
        Schema schema = Schema.parse(EXAMPLE.resolve("src/main/tollgate/schema.graphql"));
        OpenFeatureAPI api = OpenFeatureAPI.getInstance();
        api.setProviderAndWait(TollgateProvider.newBuilder(TollgateClient.builder(schema)
                        .snapshotFile(EXAMPLE.resolve("tollgate/snapshot.json"))
                        .logs(LogOptions.disabled()))
                .targetingKey("user.id")
                .build());
        try {
            Client client = api.getClient();
            for (String[] org :
                    new String[][] {{"org_acme", "PRO"}, {"org_initech", "FREE"}, {"org_umbrella", "FREE"}}) {
                ImmutableContext ctx =
                        new ImmutableContext("u_1", Map.of("organization", organization(org[0], org[1])));
                FlagEvaluationDetails<Integer> details = client.getIntegerDetails("entitlements.maxTeamSize", 5, ctx);
                out.printf(
                        "%s (%s): value=%d variant=%s reason=%s revision=%d%n",
                        org[0],
                        org[1],
                        details.getValue(),
                        details.getVariant(),
                        details.getReason(),
                        details.getFlagMetadata().getLong("tollgate.revision"));
            }
        } finally {
            api.shutdown(); // the provider built the client, so this closes it too
        }
    }

    private static Value organization(String id, String plan) {
        return new Value(new ImmutableStructure(Map.of("id", new Value(id), "plan", new Value(plan))));
    }
}
