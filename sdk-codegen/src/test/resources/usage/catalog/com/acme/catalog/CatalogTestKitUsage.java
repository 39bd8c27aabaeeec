package com.acme.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Uses the generated test kit with enums, lists, arguments and nested objects. */
public final class CatalogTestKitUsage implements Supplier<Map<String, Object>> {
    @Override
    public Map<String, Object> get() {
        Map<String, Object> out = new LinkedHashMap<>();
        CatalogTestKit kit = CatalogTestKit.builder()
                .entitlements(e -> e.supportTier(SupportTier.PREMIUM)
                        .exportFormats(ExportFormat.CSV, ExportFormat.JSON)
                        .allowedRegions(List.of("eu"))
                        .rateLimit(50)
                        .rateLimit("/search", "GET", true, SupportTier.PREMIUM, 500)
                        .rateLimit("/export", "POST", null, null, 5)
                        .limits(l -> l.maxFileSizeMb(64).retentionDays(7, 30)))
                .workspace(w -> w.maxProjects(3))
                .workspace("ws_big", w -> w.maxProjects(300).limits(l -> l.maxFileSizeMb(1024)))
                .billing(b -> b.currency("EUR"))
                .build();
        Context context = Context.builder()
                .organization("org_1", Plan.PRO)
                .environment(Environment.staging)
                .build();
        Root root = kit.root(context);
        out.put("supportTier", root.entitlements().supportTier(SupportTier.COMMUNITY));
        out.put("exportFormats", root.entitlements().exportFormats(List.of()));
        out.put("allowedRegions", root.entitlements().allowedRegions(List.of()));
        out.put("rateLimit.any", root.entitlements().rateLimit("/x", "GET", null, null, -1));
        out.put("rateLimit.search", root.entitlements().rateLimit("/search", "GET", true, SupportTier.PREMIUM, -1));
        out.put("rateLimit.export.anyTier", root.entitlements().rateLimit("/export", "POST", false, SupportTier.STANDARD, -1));
        out.put("limits", root.entitlements().limits().maxFileSizeMb(-1) + " "
                + root.entitlements().limits().retentionDays(List.of()));
        out.put("workspace.any", root.workspace("ws_1").maxProjects(-1));
        out.put("workspace.big", root.workspace("ws_big").maxProjects(-1));
        out.put("workspace.big.limits", root.workspace("ws_big").limits().maxFileSizeMb(-1));
        out.put("workspace.any.limits", root.workspace("ws_1").limits().maxFileSizeMb(-1));
        out.put("billing", root.billing().currency("USD"));
        out.put("unset", root.entitlements().maxTeamSize(-1));
        out.put("snapshot.contains", kit.snapshotJson().contains("\"test-kit-1\""));
        return out;
    }
}
