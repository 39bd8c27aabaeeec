package com.acme.catalog;

import dev.tollgate.EvaluationDetail;
import dev.tollgate.runtime.Consumption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Calls every kind of generated accessor; the build-time snapshot is on the class path. */
public final class CatalogUsage implements Supplier<Map<String, Object>> {
    @Override
    @SuppressWarnings("deprecation")
    public Map<String, Object> get() {
        Map<String, Object> out = new LinkedHashMap<>();
        Catalog catalog = Catalog.create();
        out.put("revision", catalog.revision());
        Context enterprise = Context.builder()
                .organization(Organization.builder()
                        .id("org_vip")
                        .plan(Plan.ENTERPRISE)
                        .seats(40)
                        .region(Region.builder().code("eu").build())
                        .addOns(List.of(AddOn.SSO))
                        .build())
                .environment(Environment.production)
                .tags(List.of("beta"))
                .build();
        Root root = catalog.root(enterprise);
        Entitlements entitlements = root.entitlements();
        out.put("teamRolesEnabled", entitlements.teamRolesEnabled(false));
        out.put("maxTeamSize", entitlements.maxTeamSize(1));
        out.put("allowedRegions", entitlements.allowedRegions(List.of()));
        out.put("exportFormats", entitlements.exportFormats(List.of()));
        out.put("storageQuotaGb", entitlements.storageQuotaGb(0.0));
        out.put("supportTier", entitlements.supportTier(SupportTier.STANDARD));
        EvaluationDetail<SupportTier> tier = entitlements.supportTierDetail(SupportTier.STANDARD);
        out.put("supportTier.detail", tier.value() + " " + tier.reason());
        EvaluationDetail<List<ExportFormat>> formats = entitlements.exportFormatsDetail(List.of());
        out.put("exportFormats.detail", formats.value() + " " + formats.reason().label());
        out.put(
                "canExport.csv",
                entitlements.canExport(
                        ExportRequest.builder().format(ExportFormat.CSV).rows(10).build(), false));
        out.put(
                "canExport.parquet",
                entitlements.canExport(
                        ExportRequest.builder().format(ExportFormat.PARQUET).rows(10).build(), true));
        out.put(
                "canExport.big",
                entitlements.canExport(
                        ExportRequest.builder().format(ExportFormat.JSON).rows(5000).build(), true));
        out.put("rateLimit.premium", entitlements.rateLimit("/search", "GET", null, SupportTier.PREMIUM, -1));
        out.put("rateLimit.standard", entitlements.rateLimit("/search", "GET", true, SupportTier.STANDARD, -1));
        Entitlements.RateLimitArguments arguments = Entitlements.RateLimitArguments.builder()
                .endpoint("/search")
                .method("POST")
                .tier(SupportTier.PREMIUM)
                .build();
        out.put("rateLimit.arguments", entitlements.rateLimit(arguments, -1));
        out.put("rateLimit.arguments.detail", entitlements.rateLimitDetail(arguments, -1).reason().label());
        try {
            Entitlements.RateLimitArguments.builder().tier(SupportTier.PREMIUM).build();
        } catch (IllegalStateException e) {
            out.put("rateLimit.arguments.missing", e.getMessage());
        }
        out.put("quotaFor.parquet", entitlements.quotaFor(List.of(ExportFormat.CSV, ExportFormat.PARQUET), -1));
        out.put("quotaFor.csv", entitlements.quotaFor(List.of(ExportFormat.CSV), -1));
        for (int i = 1; i <= 3; i++) {
            out.put("exportsPerDay.json." + i, verdict(entitlements.exportsPerDay(ExportFormat.JSON).tryConsume(1, 0)));
        }
        for (int i = 1; i <= 4; i++) {
            out.put("exportsPerDay.csv." + i, verdict(entitlements.exportsPerDay(ExportFormat.CSV).tryConsume(1, 0)));
        }
        out.put("exportsPerDay.json.usage", entitlements.exportsPerDay(ExportFormat.JSON).usage(0).used());
        Consumption seats = entitlements.seatsPerMonth().tryConsume(1, 7);
        out.put("seatsPerMonth", verdict(seats) + ": " + seats.message());
        java.time.Instant resetsAt = entitlements.exportsPerDay(ExportFormat.CSV).usage(0).resetsAt();
        out.put("exportsPerDay.resetsAt", resetsAt.equals(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).plus(java.time.Duration.ofDays(1))));
        out.put("class", entitlements.class_("none"));
        out.put("default", entitlements.default_(true));
        out.put("limits.maxFileSizeMb", entitlements.limits().maxFileSizeMb(-1));
        out.put("limits.retentionDays", entitlements.limits().retentionDays(List.of()));
        out.put("workspace.big", root.workspace("ws_big").maxProjects(-1));
        out.put("workspace.small", root.workspace("ws_1").maxProjects(-1));
        out.put("workspace.limits", root.workspace("ws_1").limits().maxFileSizeMb(-1));
        out.put("workspace.limits.retention", root.workspace("ws_1").limits().retentionDays(List.of(1)));
        out.put("billing.currency", root.billing().currency("USD"));
        out.put("billing.discountPercent", root.billing().discountPercent(0.0));

        Context free = Context.builder()
                .organization("org_1", Plan.FREE)
                .environment(Environment.development)
                .build();
        Entitlements freeEntitlements = catalog.root(free).entitlements();
        out.put("free.teamRolesEnabled", freeEntitlements.teamRolesEnabled(true));
        out.put("free.maxTeamSize", freeEntitlements.maxTeamSize(1));
        out.put("free.exportFormats", freeEntitlements.exportFormats(List.of()));
        out.put("free.supportTier", freeEntitlements.supportTier(SupportTier.STANDARD));
        out.put("free.user", free.user());
        out.put("free.toString", free.toString());
        try {
            Context.builder().tags(List.of("a")).build();
        } catch (IllegalStateException e) {
            out.put("missing", e.getMessage());
        }
        try {
            Organization.builder().id("x").plan(Plan.PRO).addOns(java.util.Arrays.asList(AddOn.SSO, null));
        } catch (NullPointerException e) {
            out.put("nullElement", e.getMessage());
        }
        out.put("environment.schemaName", Environment.production.schemaName());
        out.put("withoutBuildTimeSnapshot", Catalog.builder().buildTimeSnapshot(false).build().isReady());
        return out;
    }

    private static String verdict(Consumption consumption) {
        return consumption.status() + " " + consumption.used() + "/" + consumption.limit() + " "
                + consumption.reason().label();
    }
}
