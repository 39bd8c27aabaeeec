package com.acme.seed;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Uses the generated test kit as a test would. */
public final class SeedTestKitUsage implements Supplier<Map<String, Object>> {
    @Override
    public Map<String, Object> get() {
        Map<String, Object> out = new LinkedHashMap<>();
        TollgateTestKit kit = TollgateTestKit.builder()
                .entitlements(e -> e.maxTeamSize(50).teamRolesEnabled(true).maxApiRequestsPerDay("/search", 10))
                .build();
        Context context = Context.builder().organization("org_1", Plan.FREE).user("u1").build();
        Tollgate tollgate = kit.tollgate();
        out.put("maxTeamSize", tollgate.root(context).entitlements().maxTeamSize(5));
        out.put("teamRolesEnabled", kit.root(context).entitlements().teamRolesEnabled(false));
        out.put("search", kit.root(context).entitlements().maxApiRequestsPerDay("/search", -1));
        out.put("other", kit.root(context).entitlements().maxApiRequestsPerDay("/other", -1));
        out.put("unset", kit.root(context).entitlements().versionHistoryEnabled(true));

        kit.update(v -> v.entitlements(e -> e.maxTeamSize(3).maxApiRequestsPerDay(7)));
        out.put("updated.maxTeamSize", tollgate.root(context).entitlements().maxTeamSize(5));
        out.put("updated.search", tollgate.root(context).entitlements().maxApiRequestsPerDay("/search", -1));
        out.put("updated.revision", tollgate.revision());

        kit.update(v -> v.entitlements(e -> e.when(
                dev.tollgate.testing.ConditionSpec.eq("context.organization.id", "org_42"), o -> o.maxTeamSize(99))));
        Context org42 = context.toBuilder().organization("org_42", Plan.FREE).build();
        out.put("when.org_42", kit.root(org42).entitlements().maxTeamSize(5));
        out.put("when.org_1", kit.root(context).entitlements().maxTeamSize(5));

        kit.reset();
        out.put("reset.maxTeamSize", tollgate.root(context).entitlements().maxTeamSize(5));
        out.put("reset.search", tollgate.root(context).entitlements().maxApiRequestsPerDay("/search", -1));
        out.put("reset.revision", tollgate.revision());
        out.put("empty", TollgateTestKit.create().root(context).entitlements().maxTeamSize(5));

        TollgateTestKit raw = TollgateTestKit.builder()
                .snapshot(s -> s.field(
                        "entitlements.versionHistoryEnabled",
                        f -> f.override("context.organization.id", "org_42", true).defaultValue(false)))
                .build();
        out.put("snapshot.org_42", raw.root(org42).entitlements().versionHistoryEnabled(false));
        out.put("snapshot.org_1", raw.root(context).entitlements().versionHistoryEnabled(true));
        out.put("builder.toJson", TollgateTestKit.builder().entitlements(e -> e.maxTeamSize(8)).toJson());
        return out;
    }
}
