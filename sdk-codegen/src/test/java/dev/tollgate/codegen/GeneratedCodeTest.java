package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.tollgate.EvaluationDetail;
import dev.tollgate.FallbackCause;
import dev.tollgate.Reason;
import dev.tollgate.internal.schema.SchemaParser;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
                    .containsEntry("plan.lookup", "ENTERPRISE null")
                    .containsEntry("free.check", "false 5 default [context.organization.plan=PRO: 20]")
                    .containsEntry("pro.check", "true 17 []")
                    .containsEntry("pro.search.check", "false 100 []")
                    .containsEntry("wrap.maxTeamSize", 20)
                    .containsEntry("afterClose.maxTeamSize", 20);
            assertThat(out.get("wrap.other"))
                    .asString()
                    .startsWith("the client's schema sha256:")
                    .contains(" is not the schema this code was generated from, sha256:");
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
                    .containsEntry("empty", 5)
                    .containsEntry("snapshot.org_42", true)
                    .containsEntry("snapshot.org_1", false);
            assertThat(out.get("builder.toJson"))
                    .asString()
                    .contains("\"revision\" : 1", "\"entitlements.maxTeamSize\" : {", "\"default\" : 8");
        }

        @Test
        void accessorsWithoutArguments_allocateNothingPerCall() throws ReflectiveOperationException {
            Map<String, Object> out = run(loader, "com.acme.seed.SeedAllocationProbe");

            assertThat(out.get("sum")).isEqualTo(2L * 200_000 * 21);
            assertThat((Long) out.get("allocated"))
                    .as("bytes allocated by %s calls", out.get("calls"))
                    .isLessThan(4_096);
        }

        @Test
        void loadingWithAnotherFieldLayout_failsWithAHint() throws ReflectiveOperationException {
            Method load = Class.forName("dev.tollgate.runtime.GeneratedSupport", true, loader)
                    .getDeclaredMethod("loadSchema", String.class, String.class, String.class, String.class);
            load.setAccessible(true);
            String sdl = TestSchemas.resource("schemas/seed.graphql");
            String hash = SchemaParser.parse(sdl, "seed").hash();

            assertThatThrownBy(() -> invoke(load, sdl, "seed", hash, "0".repeat(64)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("numbers the schema's fields differently")
                    .hasMessageContaining("regenerate it with the tollgate-codegen version matching");
            assertThatThrownBy(() -> invoke(load, sdl, "seed", "sha256:" + "0".repeat(64), "x"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the embedded schema should hash to sha256:000");
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
    void namesThatCollideWithJava_areEscapedAndCompile(@TempDir Path directory) throws Exception {
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
        assertThat(content(result, "Flags"))
                .contains("public Options toString_()", "public int revision_(int fallback)", "public int int_(")
                .contains("@java.lang.Override");
        assertThat(Class.forName("com.acme.tricky.Tollgate", true, loader)).isNotNull();
    }

    @Test
    void typesNamedLikeTheRuntimeBaseClasses_areQualifiedAndCompile(@TempDir Path directory) throws Throwable {
        String sdl =
                """
                input TypedClientBuilder { id: String! }
                input TypedTestKitBuilder { tier: String }
                type TypedClient { typedTestKit: TypedTestKit! }
                type TypedTestKit { seats: Int! }
                type TypedTestKitExtension { on: Boolean! }
                type Query { root(context: TypedClientBuilder!): Flags! }
                type Flags {
                  typedClient: TypedClient!  rootValues: Int!  copyValues: Boolean!  extension: TypedTestKitExtension!
                }
                """;
        GenerationResult result = CodeGenerator.generate(GenerationRequest.builder()
                .schema(new SchemaSource("bases.graphql", sdl))
                .packageName("com.acme.bases")
                .outputDirectory(directory.resolve("src/main"))
                .testKitOutputDirectory(directory.resolve("src/test"))
                .build());
        assertThat(result.diagnostics()).isEmpty();
        result.write();

        ClassLoader loader = InMemoryCompiler.compile(
                List.of(directory.resolve("src/main"), directory.resolve("src/test")), directory.resolve("classes"));

        assertThat(Class.forName("com.acme.bases.Tollgate", true, loader).getSuperclass())
                .isEqualTo(dev.tollgate.runtime.TypedClient.class);
        assertThat(Class.forName("com.acme.bases.TollgateTestKit", false, loader)
                        .getSuperclass())
                .isEqualTo(dev.tollgate.testing.TypedTestKit.class);
        assertThat(Class.forName("com.acme.bases.TollgateExtension", false, loader)
                        .getSuperclass())
                .isEqualTo(dev.tollgate.testing.TypedTestKitExtension.class);
        assertThat(content(result, "TollgateExtension"))
                .contains("extends dev.tollgate.testing.TypedTestKitExtension<Tollgate, TollgateTestKit.FlagsValues,");
        assertThat(content(result, "Tollgate"))
                .contains("extends dev.tollgate.runtime.TypedClient {")
                .contains("extends dev.tollgate.runtime.TypedClientBuilder<Builder> {");

        Class<?> kitBuilder = Class.forName("com.acme.bases.TollgateTestKit$Builder", true, loader);
        Object builder = kitBuilder
                .getMethod("rootValues", int.class)
                .invoke(invoke(kitBuilder.getEnclosingClass().getMethod("builder")), 7);
        Object kit = kitBuilder.getMethod("build").invoke(builder);
        assertThat(kit.getClass().getMethod("snapshotJson").invoke(kit))
                .asString()
                .contains("\"revision\" : 1", "\"rootValues\" : {", "\"default\" : 7");
    }

    @Test
    void largeSchemaWithUnicode_isEmbeddedInPiecesAndCompiles(@TempDir Path directory) throws Exception {
        StringBuilder sdl = new StringBuilder("input Context { id: String! }\ntype Root {\n");
        for (int i = 0; i < 700; i++) {
            sdl.append("  \"Größe Nummer ").append(i).append(" – ein 😀 Limit mit \\\"Anführungszeichen\\\".\"\n");
            sdl.append("  limit").append(i).append(": Int!\n");
        }
        sdl.append("}\n");
        GenerationResult result = CodeGenerator.generate(GenerationRequest.builder()
                .schema(new SchemaSource("large.graphql", sdl.toString()))
                .packageName("com.acme.large")
                .outputDirectory(directory.resolve("src"))
                .build());
        assertThat(result.diagnostics()).isEmpty();
        result.write();

        ClassLoader loader = InMemoryCompiler.compile(List.of(directory.resolve("src")), directory.resolve("classes"));

        Object schema = Class.forName("com.acme.large.Tollgate", true, loader)
                .getMethod("schema")
                .invoke(null);
        assertThat(dev.tollgate.internal.ApiAccess.model((dev.tollgate.Schema) schema)
                        .source())
                .isEqualTo(sdl.toString());
        assertThat(GoldenFilesTest.linesOverColumnLimit(result)).isEmpty();
        assertThat(content(result, "Tollgate"))
                .contains("private static String embeddedSchemaSdl()")
                .doesNotContain("SCHEMA_SDL =");
    }

    @Test
    void schemaLinesLongerThanALineOfCode_areSplitIntoLiteralsThatFitAndCompile(@TempDir Path directory)
            throws Exception {
        String words =
                "# A description that goes on and on, \\\"quoted\\\", past the column limit of the generated code"
                        .repeat(3);
        String unbroken = "# " + "x".repeat(150) + "😀".repeat(80);
        String sdl = words + "\n" + unbroken + "\n" + "input Context { id: String! }\ntype Root { limit: Int! }\n";
        GenerationResult result = CodeGenerator.generate(GenerationRequest.builder()
                .schema(new SchemaSource("src/main/tollgate/entitlements/schemas/wide.graphql", sdl))
                .packageName("com.acme.wide")
                .outputDirectory(directory.resolve("src"))
                .build());
        assertThat(result.diagnostics()).isEmpty();
        result.write();

        ClassLoader loader = InMemoryCompiler.compile(List.of(directory.resolve("src")), directory.resolve("classes"));

        Object schema = Class.forName("com.acme.wide.Tollgate", true, loader)
                .getMethod("schema")
                .invoke(null);
        assertThat(dev.tollgate.internal.ApiAccess.model((dev.tollgate.Schema) schema)
                        .source())
                .isEqualTo(sdl);
        assertThat(GoldenFilesTest.linesOverColumnLimit(result)).isEmpty();
        assertThat(content(result, "Tollgate"))
                .startsWith(
                        "// Generated by Tollgate codegen from src/main/tollgate/entitlements/schemas/wide.graphql.\n"
                                + "// Do not edit: changes are lost when it runs again.\n")
                .contains("private static final String SCHEMA_SDL = \"# A description that goes on and on,")
                .contains("\n            + \" column limit of the generated code\\n\"\n")
                .contains("\n            + \"\uD83D\uDE00\uD83D\uDE00\\n\"\n");
    }

    /** The source of the generated class {@code simpleName}. */
    static String content(GenerationResult result, String simpleName) {
        return result.files().stream()
                .filter(f -> f.relativePath().endsWith("/" + simpleName + ".java"))
                .findFirst()
                .orElseThrow()
                .content();
    }

    /** Calls a static method, unwrapping what it throws. */
    static Object invoke(Method method, Object... arguments) throws Throwable {
        try {
            return method.invoke(null, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
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
                    .containsEntry("exportsPerDay.json.1", "ALLOWED 1/2 default")
                    .containsEntry("exportsPerDay.json.2", "ALLOWED 2/2 default")
                    .containsEntry("exportsPerDay.json.3", "DENIED 2/2 default")
                    .containsEntry("exportsPerDay.csv.1", "ALLOWED 1/3 rule:csv")
                    .containsEntry("exportsPerDay.csv.3", "ALLOWED 3/3 rule:csv")
                    .containsEntry("exportsPerDay.csv.4", "ALLOWED_OVER_LIMIT 4/3 rule:csv")
                    .containsEntry("exportsPerDay.json.usage", 2L)
                    .containsEntry("exportsPerDay.resetsAt", true)
                    .containsEntry(
                            "seatsPerMonth",
                            "NOT_COUNTED 0/7 fallback:NO_LOGIC: the context has no value for context.user.id, which"
                                    + " counts usage")
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
        void enumValueTheCodeDoesNotKnow_givesTheFallbackWithAReason() throws Throwable {
            Method enumDetail = Class.forName("dev.tollgate.runtime.GeneratedSupport", true, loader)
                    .getDeclaredMethod(
                            "enumDetail", EvaluationDetail.class, Function.class, Object.class, String.class);
            enumDetail.setAccessible(true);
            Function<String, Object> lookup = name -> name.equals("STANDARD") ? "known" : null;

            EvaluationDetail<?> unknown = (EvaluationDetail<?>) invoke(
                    enumDetail,
                    EvaluationDetail.of("PLATINUM", Reason.rule("vip"), 4),
                    lookup,
                    "fallback",
                    "SupportTier");
            EvaluationDetail<?> known = (EvaluationDetail<?>) invoke(
                    enumDetail,
                    EvaluationDetail.of("STANDARD", Reason.rule("vip"), 4),
                    lookup,
                    "fallback",
                    "SupportTier");

            assertThat(unknown.value()).isEqualTo("fallback");
            assertThat(unknown.revision()).isEqualTo(4);
            assertThat(unknown.reason().fallbackCause()).isEqualTo(FallbackCause.TYPE_MISMATCH);
            assertThat(unknown.reason().message())
                    .isEqualTo("the snapshot's value PLATINUM is not a value of SupportTier that this code knows;"
                            + " regenerate it from the current schema");
            assertThat(known.value()).isEqualTo("known");
            assertThat(known.reason()).isEqualTo(Reason.rule("vip"));
        }

        @Test
        void testKit_coversEnumsListsArgumentsAndNestedObjects() throws ReflectiveOperationException {
            Map<String, Object> out = run(loader, "com.acme.catalog.CatalogTestKitUsage");

            assertThat(out)
                    .containsEntry("allowedRegions", List.of("eu"))
                    .containsEntry("rateLimit.any", 50)
                    .containsEntry("rateLimit.search", 500)
                    .containsEntry("rateLimit.export.anyTier", 5)
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
