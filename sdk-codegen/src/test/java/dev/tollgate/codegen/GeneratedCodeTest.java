package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Compiles the generated sources together with hand-written code that uses them (under {@code
 * src/test/resources/usage}), with {@code -Xlint:all -Werror}, and runs that code against snapshots.
 */
class GeneratedCodeTest {

    static ClassLoader generateAndCompile(String name, Path directory) throws IOException {
        GenerationResult result = CodeGenerator.generate(TestSchemas.request(name, directory.resolve("src")));
        assertThat(result.diagnostics()).isEmpty();
        result.write();
        Path usage = Path.of("src/test/resources/usage", name);
        Path classes = directory.resolve("classes");
        ClassLoader loader = InMemoryCompiler.compile(
                List.of(directory.resolve("src/main"), directory.resolve("src/test"), usage), classes);
        Path snapshot = usage.resolve("snapshot.json");
        if (Files.exists(snapshot)) {
            String hash = result.schema().orElseThrow().hash();
            Path resource = classes.resolve(result.request().buildTimeSnapshotResource());
            Files.createDirectories(resource.getParent());
            Files.writeString(resource, Files.readString(snapshot).replace("HASH", hash), StandardCharsets.UTF_8);
        }
        return loader;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> run(ClassLoader loader, String className) throws ReflectiveOperationException {
        Class<?> type = Class.forName(className, true, loader);
        return ((Supplier<Map<String, Object>>) type.getDeclaredConstructor().newInstance()).get();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Seed {
        private ClassLoader loader;

        @BeforeAll
        void compile(@TempDir Path directory) throws IOException {
            loader = generateAndCompile(TestSchemas.SEED, directory);
        }

        @Test
        void generatedApi_readsTheSnapshotWithTypes() throws ReflectiveOperationException {
            Map<String, Object> out = run(loader, "com.acme.seed.SeedUsage");

            assertThat(out)
                    .containsEntry("before.maxTeamSize", 5)
                    .containsEntry("before.reason", "fallback:NOT_READY")
                    .containsEntry("loaded", "INSTALLED 7 true")
                    .containsEntry("pro.maxTeamSize", 20)
                    .containsEntry("pro.teamRolesEnabled", true)
                    .containsEntry("pro.search", 100)
                    .containsEntry("pro.export", 1000)
                    .containsEntry("pro.versionHistoryEnabled", true)
                    .containsEntry("pro.maxTeamSize.detail", "20 rule:pro 7")
                    .containsEntry("pro.versionHistoryEnabled.reason", "fallback:NO_LOGIC")
                    .containsEntry("org_42.maxTeamSize", 50)
                    .containsEntry("org_42.reason", "override context.organization.id=org_42")
                    .containsEntry("org_42.teamRolesEnabled", false)
                    .containsEntry("root.revision", 7L)
                    .containsEntry("root.context", "org_42")
                    .containsEntry("missing", "Context.organization is required but was not set")
                    .containsEntry(
                            "context.toString",
                            "Context[organization=Organization[id=org_1, plan=PRO], user=User[id=u1]]")
                    .containsEntry("context.equals", true)
                    .containsEntry("plan.lookup", "ENTERPRISE null");
        }

        @Test
        void testKit_setsValuesUpdatesAndResets() throws ReflectiveOperationException {
            Map<String, Object> out = run(loader, "com.acme.seed.SeedTestKitUsage");

            assertThat(out)
                    .containsEntry("maxTeamSize", 50)
                    .containsEntry("teamRolesEnabled", true)
                    .containsEntry("search", 10)
                    .containsEntry("other", -1)
                    .containsEntry("unset", true)
                    .containsEntry("updated.maxTeamSize", 3)
                    .containsEntry("updated.search", 7)
                    .containsEntry("updated.revision", 2L)
                    .containsEntry("when.org_42", 99)
                    .containsEntry("when.org_1", 3)
                    .containsEntry("reset.maxTeamSize", 50)
                    .containsEntry("reset.search", 10)
                    .containsEntry("reset.revision", 4L)
                    .containsEntry("empty", 5);
        }

        @Test
        void junitExtension_runsATeamLimitTest() throws ClassNotFoundException {
            Class<?> test = Class.forName("com.acme.seed.TeamLimitTest", false, loader);

            EngineTestKit.engine("junit-jupiter")
                    .selectors(selectClass(test))
                    .execute()
                    .testEvents()
                    .assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
        }
    }

    @Test
    void namesThatCollideWithJava_compileAndEvaluate(@TempDir Path directory) throws Exception {
        GenerationRequest request = GenerationRequest.builder()
                .schema(TestSchemas.schema("tricky"))
                .packageName("com.acme.tricky")
                .outputDirectory(directory.resolve("src/main"))
                .testKitOutputDirectory(directory.resolve("src/test"))
                .build();
        GenerationResult result = CodeGenerator.generate(request);
        assertThat(result.diagnostics()).isEmpty();
        result.write();

        ClassLoader loader = InMemoryCompiler.compile(
                List.of(directory.resolve("src/main"), directory.resolve("src/test")), directory.resolve("classes"));

        assertThat(result.files())
                .extracting(GeneratedFile::relativePath)
                .contains("com/acme/tricky/Override.java", "com/acme/tricky/List.java", "com/acme/tricky/Flags.java");
        assertThat(result.files().stream()
                        .filter(f -> f.relativePath().endsWith("/Flags.java"))
                        .findFirst()
                        .orElseThrow()
                        .content())
                .contains("public Options toString_()", "public int revision_(int fallback)", "public int int_(")
                .contains("@java.lang.Override");
        assertThat(Class.forName("com.acme.tricky.Tollgate", true, loader)).isNotNull();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Catalog {
        private ClassLoader loader;

        @BeforeAll
        void compile(@TempDir Path directory) throws IOException {
            loader = generateAndCompile(TestSchemas.CATALOG, directory);
        }

        @Test
        void generatedApi_coversEnumsListsArgumentsAndNestedObjects() throws ReflectiveOperationException {
            Map<String, Object> out = run(loader, "com.acme.catalog.CatalogUsage");

            assertThat(out)
                    .containsEntry("revision", 12L)
                    .containsEntry("teamRolesEnabled", true)
                    .containsEntry("maxTeamSize", 100)
                    .containsEntry("allowedRegions", List.of("eu", "us"))
                    .containsEntry("storageQuotaGb", 2.5)
                    .containsEntry("supportTier.detail", "PREMIUM override context.organization.id=org_vip")
                    .containsEntry("exportFormats.detail", "[CSV, PARQUET] rule:enterprise")
                    .containsEntry("canExport.csv", true)
                    .containsEntry("canExport.parquet", false)
                    .containsEntry("canExport.big", false)
                    .containsEntry("rateLimit.premium", 500)
                    .containsEntry("rateLimit.standard", 50)
                    .containsEntry("rateLimit.arguments", 500)
                    .containsEntry("rateLimit.arguments.detail", "rule:premium-search")
                    .containsEntry(
                            "rateLimit.arguments.missing",
                            "Entitlements.rateLimit.endpoint, Entitlements.rateLimit.method are required but were not"
                                    + " set")
                    .containsEntry("quotaFor.parquet", 1)
                    .containsEntry("quotaFor.csv", 10)
                    .containsEntry("class", "gold")
                    .containsEntry("default", true)
                    .containsEntry("limits.maxFileSizeMb", 100)
                    .containsEntry("limits.retentionDays", List.of(7, 30))
                    .containsEntry("workspace.big", 100)
                    .containsEntry("workspace.small", 5)
                    .containsEntry("workspace.limits", 10)
                    .containsEntry("workspace.limits.retention", List.of(1))
                    .containsEntry("billing.currency", "EUR")
                    .containsEntry("billing.discountPercent", 12.5)
                    .containsEntry("free.teamRolesEnabled", false)
                    .containsEntry("free.maxTeamSize", 10)
                    .containsEntry("missing", "Context.organization, Context.environment are required but were not set")
                    .containsEntry("nullElement", "Organization.addOns must not contain null")
                    .containsEntry("environment.schemaName", "production")
                    .containsEntry("withoutBuildTimeSnapshot", false);
            assertThat(out.get("exportFormats")).asString().isEqualTo("[CSV, PARQUET]");
            assertThat(out.get("supportTier")).asString().isEqualTo("PREMIUM");
            assertThat(out.get("free.exportFormats")).asString().isEqualTo("[CSV]");
            assertThat(out.get("free.supportTier")).asString().isEqualTo("COMMUNITY");
            assertThat(out.get("free.user")).isNull();
            assertThat(out.get("free.toString"))
                    .asString()
                    .startsWith("Context[organization=Organization[id=org_1, plan=FREE, seats=null");
        }

        @Test
        void testKit_coversEnumsListsArgumentsAndNestedObjects() throws ReflectiveOperationException {
            Map<String, Object> out = run(loader, "com.acme.catalog.CatalogTestKitUsage");

            assertThat(out)
                    .containsEntry("allowedRegions", List.of("eu"))
                    .containsEntry("rateLimit.any", 50)
                    .containsEntry("rateLimit.search", 500)
                    .containsEntry("limits", "64 [7, 30]")
                    .containsEntry("workspace.any", 3)
                    .containsEntry("workspace.big", 300)
                    .containsEntry("workspace.big.limits", 1024)
                    .containsEntry("workspace.any.limits", -1)
                    .containsEntry("billing", "EUR")
                    .containsEntry("unset", -1)
                    .containsEntry("snapshot.contains", true);
            assertThat(out.get("supportTier")).asString().isEqualTo("PREMIUM");
            assertThat(out.get("exportFormats")).asString().isEqualTo("[CSV, JSON]");
        }
    }
}
