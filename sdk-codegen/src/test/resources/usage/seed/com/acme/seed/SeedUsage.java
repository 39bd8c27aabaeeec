package com.acme.seed;

import dev.tollgate.EvaluationDetail;
import dev.tollgate.LoadResult;
import dev.tollgate.runtime.LimitCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Calls the generated API as a service would. Compiled with the generated sources under -Xlint:all -Werror. */
public final class SeedUsage implements Supplier<Map<String, Object>> {
    private static final String SNAPSHOT = """
            {
              "format": 1,
              "revision": 7,
              "schemaHash": "%s",
              "fields": {
                "entitlements.maxTeamSize": {
                  "overrides": [{"by": "context.organization.id", "values": {"org_42": 50}}],
                  "rules": [{"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"}, "value": 20}],
                  "default": 5
                },
                "entitlements.teamRolesEnabled": {
                  "rules": [{"id": "paid", "if": {"attribute": "context.organization.plan", "op": "in", "value": ["PRO", "ENTERPRISE"]}, "value": true}],
                  "default": false
                },
                "entitlements.maxApiRequestsPerDay": {
                  "rules": [{"id": "search", "if": {"attribute": "args.endpoint", "op": "eq", "value": "/search"}, "value": 100}],
                  "default": 1000
                }
              }
            }
            """;

    @Override
    public Map<String, Object> get() {
        Map<String, Object> out = new LinkedHashMap<>();
        Tollgate tollgate = Tollgate.create();
        Context pro = Context.builder().organization("org_1", Plan.PRO).user("u1").build();
        out.put("before.maxTeamSize", tollgate.root(pro).entitlements().maxTeamSize(5));
        out.put("before.reason", tollgate.root(pro).entitlements().maxTeamSizeDetail(5).reason().label());

        LoadResult loaded = tollgate.loadSnapshot(SNAPSHOT.formatted(Tollgate.SCHEMA_HASH));
        out.put("loaded", loaded.status() + " " + loaded.revision() + " " + loaded.schemaHashMatches());

        Root flags = tollgate.root(pro);
        out.put("pro.maxTeamSize", flags.entitlements().maxTeamSize(5));
        out.put("pro.teamRolesEnabled", flags.entitlements().teamRolesEnabled(false));
        out.put("pro.search", flags.entitlements().maxApiRequestsPerDay("/search", -1));
        out.put("pro.export", flags.entitlements().maxApiRequestsPerDay("/export", -1));
        out.put("pro.versionHistoryEnabled", flags.entitlements().versionHistoryEnabled(true));
        EvaluationDetail<Integer> detail = flags.entitlements().maxTeamSizeDetail(5);
        out.put("pro.maxTeamSize.detail", detail.value() + " " + detail.reason().label() + " " + detail.revision());
        out.put(
                "pro.versionHistoryEnabled.reason",
                flags.entitlements().versionHistoryEnabledDetail(true).reason().label());

        Root overridden = tollgate.root(Context.builder()
                .organization(Organization.builder().id("org_42").plan(Plan.FREE).build())
                .user(User.builder().id("u2").build())
                .build());
        out.put("org_42.maxTeamSize", overridden.entitlements().maxTeamSize(5));
        out.put("org_42.reason", String.valueOf(overridden.entitlements().maxTeamSizeDetail(5).reason()));
        out.put("org_42.teamRolesEnabled", overridden.entitlements().teamRolesEnabled(true));
        out.put("root.revision", overridden.revision());
        out.put("root.context", overridden.context().organization().id());

        try {
            Context.builder().user("u1").build();
            out.put("missing", "no exception");
        } catch (IllegalStateException e) {
            out.put("missing", e.getMessage());
        }
        out.put("context.toString", pro.toString());
        out.put("context.equals", pro.equals(pro.toBuilder().build()));
        out.put("plan.lookup", Plan.forSchemaName("ENTERPRISE") + " " + Plan.forSchemaName("PLATINUM"));

        Root free = tollgate.root(Context.builder().organization("org_1", Plan.FREE).user("u1").build());
        LimitCheck full = free.entitlements().maxTeamSize().check(5, 1, 5);
        out.put("free.check", full.allowed() + " " + full.limit() + " " + full.reason() + " " + full.alternatives());
        LimitCheck room = flags.entitlements().maxTeamSize().check(3, 1, 5);
        out.put("pro.check", room.allowed() + " " + room.remaining() + " " + room.alternatives());
        LimitCheck search = flags.entitlements().maxApiRequestsPerDay("/search").check(100, 1, 7);
        out.put("pro.search.check", search.allowed() + " " + search.limit() + " " + search.alternatives());

        Tollgate wrapped = Tollgate.wrap(tollgate.client());
        out.put("wrap.maxTeamSize", wrapped.root(pro).entitlements().maxTeamSize(5));
        try {
            Tollgate.wrap(dev.tollgate.TollgateClient.builder(dev.tollgate.Schema.parse(
                            "input Context { id: String! } type Root { a: Int }", "other.graphql"))
                    .build());
            out.put("wrap.other", "no exception");
        } catch (IllegalArgumentException e) {
            out.put("wrap.other", e.getMessage());
        }
        tollgate.close();
        out.put("afterClose.maxTeamSize", flags.entitlements().maxTeamSize(5));
        return out;
    }
}
