package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema names that clash with what the generator names itself: each schema either compiles with {@code -Xlint:all
 * -Werror}, test kit and JUnit extension included, or is rejected with a diagnostic at the name's location.
 */
class NameClashesTest {

    private static GenerationRequest.Builder request(String sdl, Path directory) {
        return GenerationRequest.builder()
                .schema(new SchemaSource("schema.graphql", sdl))
                .packageName("com.acme.names")
                .outputDirectory(directory.resolve("main"))
                .testKitOutputDirectory(directory.resolve("test"));
    }

    /** Generates, writes and compiles the schema, failing with javac's diagnostics if it does not compile. */
    private static GenerationResult compile(String sdl, Path directory) throws IOException {
        return compile(request(sdl, directory).build(), directory);
    }

    private static GenerationResult compile(GenerationRequest request, Path directory) throws IOException {
        GenerationResult result = CodeGenerator.generate(request);
        assertThat(result.diagnostics()).isEmpty();
        result.write();
        InMemoryCompiler.compile(
                List.of(directory.resolve("main"), directory.resolve("test")), directory.resolve("classes"));
        return result;
    }

    /**
     * Generates the schema, compiles it with a class {@code com.acme.names.Usage} whose {@code get()} runs {@code body}
     * (which puts its results into {@code out}), runs it and returns the results.
     */
    private static Map<String, Object> run(GenerationRequest request, String body, Path directory) throws Exception {
        GenerationResult result = CodeGenerator.generate(request);
        assertThat(result.diagnostics()).isEmpty();
        result.write();
        Path usage = directory.resolve("usage/com/acme/names/Usage.java");
        Files.createDirectories(usage.getParent());
        Files.writeString(
                usage,
                """
                package com.acme.names;

                import java.util.function.Supplier;

                public final class Usage implements Supplier<java.util.Map<java.lang.String, java.lang.Object>> {
                    @java.lang.Override
                    public java.util.Map<java.lang.String, java.lang.Object> get() {
                        java.util.Map<java.lang.String, java.lang.Object> out = new java.util.LinkedHashMap<>();
                %s
                        return out;
                    }
                }
                """
                        .formatted(body.indent(8)));
        ClassLoader loader = InMemoryCompiler.compile(
                List.of(directory.resolve("main"), directory.resolve("test"), directory.resolve("usage")),
                directory.resolve("classes"));
        return GeneratedCodeTest.run(loader, "com.acme.names.Usage");
    }

    private static Map<String, Object> run(String sdl, String body, Path directory) throws Exception {
        return run(request(sdl, directory).build(), body, directory);
    }

    /** The diagnostics of a schema that does not generate. */
    private static List<String> errors(String sdl) {
        GenerationResult result =
                CodeGenerator.generate(request(sdl, Path.of("unused")).build());
        assertThat(result.successful()).isFalse();
        assertThat(result.files()).isEmpty();
        return result.errors().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void fieldNamedLikeAnAllCapsEnum_getsAnOffsetConstantThatDoesNotHideIt(@TempDir Path directory) throws IOException {
        GenerationResult result = compile(
                """
                input Context { id: String! }
                enum SLA { STANDARD PREMIUM }
                enum E { X Y }
                enum A { A B }
                type Root { entitlements: Entitlements!  e: E!  a: A!  as: [A!]! }
                type Entitlements { sla: SLA!  slas: [SLA!]!  tier(sla: SLA): SLA! }
                """,
                directory);

        assertThat(GeneratedCodeTest.content(result, "Entitlements"))
                .contains("private static final int SLA_ = 1;", "private static final int SLAS = 2;")
                .contains("SLA.forSchemaName(", "SLA::forSchemaName");
        assertThat(GeneratedCodeTest.content(result, "Root"))
                .contains("private static final int E_ = ", "private static final int A_ = ")
                .contains("private static final int AS = ");
    }

    /**
     * The extension used to name {@code Class<?>} for parameter types, which an enum named Class had to leave qualified;
     * that code is now inherited from {@code TypedTestKitExtension}, so the generated extension names no {@code Class}.
     */
    @Test
    void enumNamedClass_compilesWithTheExtension_whichNamesNoClass(@TempDir Path directory) throws IOException {
        GenerationResult result = compile(
                """
                input Context { id: String! }
                enum Class { ECONOMY BUSINESS }
                type Root { seat: Class! }
                """,
                directory);

        assertThat(GeneratedCodeTest.content(result, "TollgateExtension"))
                .contains("extends TypedTestKitExtension<Tollgate, TollgateTestKit.RootValues, TollgateTestKit,")
                .doesNotContain("Class<?>");
    }

    @Test
    void typeNamedObject_withFourArguments_passesThemAsAJavaLangObjectArray(@TempDir Path directory)
            throws IOException {
        GenerationResult result = compile(
                """
                input Context { id: String! }
                type Root { object: Object! }
                type Object { limit(a: Int, b: Int, c: Int, d: Int): Int! }
                """,
                directory);

        assertThat(GeneratedCodeTest.content(result, "Object")).contains("new java.lang.Object[] {");
    }

    @Test
    void classNamedString_inALargeSchema_joinsTheEmbeddedPiecesWithJavaLangString(@TempDir Path directory)
            throws IOException {
        StringBuilder sdl = new StringBuilder("input Context { id: String! }\ntype Root { limits: Limits! }\n");
        sdl.append("type Limits {\n");
        for (int i = 0; i < 700; i++) {
            sdl.append("  \"Limit number ").append(i).append(", described at some length.\"\n");
            sdl.append("  limit").append(i).append(": Int!\n");
        }
        sdl.append("}\n");

        GenerationResult result = compile(
                request(sdl.toString(), directory).typeName("Limits", "String").build(), directory);

        assertThat(GeneratedCodeTest.content(result, "Tollgate"))
                .contains("private static java.lang.String embeddedSchemaSdl()")
                .contains("return java.lang.String.join(\"\",");
    }

    /**
     * Int fields named like the members of the limit they return, and an object type named like the runtime's {@code
     * IntLimit}: the limit accessors compile, with the runtime class qualified, and check against the snapshot.
     */
    @Test
    void intFieldsNamedLikeTheLimitsMembers_andATypeNamedIntLimit_compileAndCheck(@TempDir Path directory)
            throws Exception {
        String sdl =
                """
                input Context { plan: Plan! }
                enum Plan { FREE PRO }
                type Root { check: Int!  of(value: Int!): Int!  limits: IntLimit! }
                type IntLimit { value: Int! }
                """;
        String body =
                """
                dev.tollgate.TollgateClient client = dev.tollgate.TollgateClient.builder(Tollgate.schema())
                        .logs(dev.tollgate.LogOptions.disabled())
                        .build();
                dev.tollgate.testing.SnapshotBuilder.forSchema(Tollgate.schema())
                        .field("check", f -> f.rule("pro", dev.tollgate.testing.ConditionSpec.eq("context.plan", "PRO"), 3)
                                .defaultValue(1))
                        .value("limits.value", 9)
                        .installInto(client);
                Root root = Tollgate.wrap(client).root(Context.builder().plan(Plan.FREE).build());
                out.put("check", root.check().check(1, 1, 0).toString());
                out.put("of", root.of(4).check(0, 2, 2).allowed());
                out.put("limits.value", root.limits().value().check(9, 0, 0).remaining());
                """;

        Map<String, Object> out = run(sdl, body, directory);

        assertThat(out)
                .containsEntry(
                        "check",
                        "LimitCheck[denied, used 1 + requested 1 > limit 1 (default), alternatives=[context.plan=PRO: 3]]")
                .containsEntry("of", true)
                .containsEntry("limits.value", 0);
    }

    @Test
    void fieldsAndInputFieldsNamedYield_areCalledThroughThis(@TempDir Path directory) throws IOException {
        GenerationResult result = compile(
                """
                input Context { id: String!  yield: Yield }
                input Yield { id: String! }
                type Root { yield(a: Int, b: Int, c: Int): Int!  limits: Limits! }
                type Limits { yield: [Int!]! }
                """,
                directory);

        assertThat(GeneratedCodeTest.content(result, "Root"))
                .contains("return this.yield(arguments.a(), arguments.b(), arguments.c(), fallback);");
        assertThat(GeneratedCodeTest.content(result, "Context"))
                .contains("return this.yield(Yield.builder().id(id).build());");
        assertThat(GeneratedCodeTest.content(result, "TollgateTestKit"))
                .contains("return this.yield(List.of(values));");
    }

    @Test
    void classesThatWouldHoldANestedClassOfTheirName_compileOnceRenamedWithTypeNames(@TempDir Path directory)
            throws IOException {
        String sdl =
                """
                input Context { id: String!  builder: Builder }
                input Builder { size: Int! }
                type Root { limits: RateLimitArguments! }
                type RateLimitArguments { rateLimit(a: Int, b: Int, c: Int): Int! }
                """;
        assertThat(errors(sdl)).singleElement().asString().startsWith("schema.graphql:2:7: input type Builder");

        GenerationResult result = compile(
                request(sdl, directory)
                        .typeName("Builder", "TeamBuilder")
                        .typeName("RateLimitArguments", "Limits")
                        .build(),
                directory);

        assertThat(GeneratedCodeTest.content(result, "Limits"))
                .contains("public static final class RateLimitArguments {");
    }

    @Test
    void namesUpToTheClassFileNameLimit_compile(@TempDir Path directory) throws IOException {
        // TollgateTestKit$<type>Values.class and Root$<Field>Arguments$Builder.class are exactly 200 bytes long.
        String type = "L".repeat(172);
        String field = "f".repeat(172);
        GenerationResult result = compile(
                "input Context { id: String! }\ntype Root { l: " + type + "!  " + field + "(a: Int, b: Int, c: Int):"
                        + " Int! }\ntype " + type + " { a: Int! }\n",
                directory);

        assertThat(directory.resolve("classes/com/acme/names/TollgateTestKit$" + type + "Values.class"))
                .isRegularFile();
        assertThat(directory.resolve("classes/com/acme/names/Root$F" + field.substring(1) + "Arguments$Builder.class"))
                .isRegularFile();
        assertThat(result.files()).hasSize(6);
    }

    @Test
    void enumValuesNamedLikeTheEnumsOwnMembers_compileAndLookUp(@TempDir Path directory) throws Exception {
        GenerationResult result = compile(
                """
                input Context { id: String! }
                enum Kind { schemaName schemaName_ name name_ other }
                type Root { kind: Kind!  kinds: [Kind!]! }
                """,
                directory);

        assertThat(GeneratedCodeTest.content(result, "Kind"))
                .contains("private final String schemaName__;", "public static Kind forSchemaName(String name__)");
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {InMemoryCompiler.url(directory.resolve("classes"))},
                getClass().getClassLoader())) {
            Class<?> kind = Class.forName("com.acme.names.Kind", true, loader);
            Method forSchemaName = kind.getMethod("forSchemaName", String.class);
            Method schemaName = kind.getMethod("schemaName");
            for (String value : List.of("schemaName", "schemaName_", "name", "name_", "other")) {
                Object constant = forSchemaName.invoke(null, value);
                assertThat(constant).asString().isEqualTo(value);
                assertThat(schemaName.invoke(constant)).isEqualTo(value);
            }
            assertThat(forSchemaName.invoke(null, "nope")).isNull();
        }
    }

    @Test
    void argumentsNamedLikeTheirEnum_compileAndMatchTheirValues(@TempDir Path directory) throws Exception {
        Map<String, Object> out = run(
                """
                input Context { id: String! }
                enum Tier { FREE GOLD }
                type Root { entitlements: Entitlements! }
                type Entitlements {
                  tier(Tier: Tier): Tier!
                  tiers(Tier: Tier): [Tier!]!
                  seats(Tier: Tier!, a: Int, b: Int): Int!
                  allowed(Tier: [Tier!]): Boolean!
                }
                """,
                """
                TollgateTestKit kit = TollgateTestKit.builder()
                        .entitlements(e -> e.tier(Tier.FREE)
                                .tier(Tier.GOLD, Tier.GOLD)
                                .tiers(java.util.List.of(Tier.FREE))
                                .tiers(Tier.GOLD, java.util.List.of(Tier.GOLD, Tier.FREE))
                                .seats(1)
                                .seats(Tier.GOLD, null, null, 2)
                                .allowed(false)
                                .when(
                                        dev.tollgate.testing.ConditionSpec.contains("args.Tier", "GOLD"),
                                        g -> g.allowed(true)))
                        .build();
                Entitlements e = kit.root(Context.builder().id("u1").build()).entitlements();
                out.put("tier.GOLD", e.tier(Tier.GOLD, Tier.FREE));
                out.put("tier.FREE", e.tier(Tier.FREE, Tier.GOLD));
                out.put("tier.null", e.tier(null, Tier.GOLD));
                out.put("tierDetail.GOLD", e.tierDetail(Tier.GOLD, Tier.FREE).value());
                out.put("tiers.GOLD", e.tiers(Tier.GOLD, java.util.List.of()));
                out.put("tiers.FREE", e.tiers(Tier.FREE, java.util.List.of()));
                out.put("seats.GOLD", e.seats(Tier.GOLD, 5, 6, -1));
                out.put("seats.FREE", e.seats(Tier.FREE, 5, 6, -1));
                out.put("seats.arguments", e.seats(
                        Entitlements.SeatsArguments.builder().Tier(Tier.GOLD).a(1).build(), -1));
                out.put("seats.arguments.Tier", Entitlements.SeatsArguments.builder().Tier(Tier.GOLD).build().Tier());
                out.put("allowed.GOLD", e.allowed(java.util.List.of(Tier.FREE, Tier.GOLD), false));
                out.put("allowed.FREE", e.allowed(java.util.List.of(Tier.FREE), true));
                """,
                directory);

        assertThat(out.get("tier.GOLD")).isInstanceOf(Enum.class);
        assertThat(out.get("tier.GOLD").getClass().getName()).isEqualTo("com.acme.names.Tier");
        assertThat(strings(out))
                .containsEntry("tier.GOLD", "GOLD")
                .containsEntry("tier.FREE", "FREE")
                .containsEntry("tier.null", "FREE")
                .containsEntry("tierDetail.GOLD", "GOLD")
                .containsEntry("tiers.GOLD", "[GOLD, FREE]")
                .containsEntry("tiers.FREE", "[FREE]")
                .containsEntry("seats.GOLD", "2")
                .containsEntry("seats.FREE", "1")
                .containsEntry("seats.arguments", "2")
                .containsEntry("seats.arguments.Tier", "GOLD")
                .containsEntry("allowed.GOLD", "true")
                .containsEntry("allowed.FREE", "false");
    }

    @Test
    void argumentNamedLikeAnOffsetConstant_readsItsOwnField(@TempDir Path directory) throws Exception {
        // The parameter SLA used to hide the constant SLA: this.base + SLA added the argument to the index.
        Map<String, Object> out = run(
                """
                input Context { id: String! }
                type Root { first: Int!  sla(SLA: Int, FIRST: Int): Int!  limits: Limits! }
                type Limits { a: Int!  b(B: Int!, A: Int): Int! }
                """,
                """
                TollgateTestKit kit = TollgateTestKit.builder()
                        .first(10)
                        .sla(20)
                        .limits(l -> l.a(30).b(40))
                        .build();
                Root root = kit.root(Context.builder().id("u1").build());
                out.put("sla.1", root.sla(1, 1, -1));
                out.put("sla.null", root.sla(null, null, -1));
                out.put("b", root.limits().b(0, null, -1));
                """,
                directory);

        assertThat(strings(out))
                .containsEntry("sla.1", "20")
                .containsEntry("sla.null", "20")
                .containsEntry("b", "40");
    }

    @Test
    void inputFieldsNamedLikeTheirEnumOrInputType_compileAndReachTheEvaluator(@TempDir Path directory)
            throws Exception {
        Map<String, Object> out = run(
                """
                input Context { id: String!  Tier: [Tier!]  Plan: Plan  Level: Tier }
                input Plan { Tier: Tier!  seats: Int }
                enum Tier { FREE GOLD }
                type Root { seats: Int!  plan: Int!  level: Int! }
                """,
                """
                TollgateTestKit kit = TollgateTestKit.builder()
                        .values(v -> v.seats(1)
                                .plan(0)
                                .level(0)
                                .when(dev.tollgate.testing.ConditionSpec.contains("context.Tier", "GOLD"), g -> g.seats(2))
                                .when(dev.tollgate.testing.ConditionSpec.eq("context.Plan.Tier", "GOLD"), g -> g.plan(3))
                                .when(dev.tollgate.testing.ConditionSpec.eq("context.Level", "GOLD"), g -> g.level(4)))
                        .build();
                Context gold = Context.builder()
                        .id("u1")
                        .Tier(java.util.List.of(Tier.FREE, Tier.GOLD))
                        .Plan(Tier.GOLD)
                        .Level(Tier.GOLD)
                        .build();
                Context free = Context.builder()
                        .id("u2")
                        .Tier(java.util.List.of(Tier.FREE))
                        .Plan(Plan.builder().Tier(Tier.FREE).seats(5).build())
                        .build();
                out.put("gold.seats", kit.root(gold).seats(-1));
                out.put("gold.plan", kit.root(gold).plan(-1));
                out.put("gold.level", kit.root(gold).level(-1));
                out.put("free.seats", kit.root(free).seats(-1));
                out.put("free.plan", kit.root(free).plan(-1));
                out.put("free.level", kit.root(free).level(-1));
                out.put("gold.Tier", gold.Tier());
                out.put("gold.Plan.Tier", gold.Plan().Tier());
                out.put("free.Plan", free.Plan());
                out.put("gold.copy", gold.toBuilder().build().equals(gold));
                out.put("gold.hash", gold.toBuilder().build().hashCode() == gold.hashCode());
                out.put("gold.other", gold.toBuilder().Tier(java.util.List.of()).build().equals(gold));
                """,
                directory);

        assertThat(strings(out))
                .containsEntry("gold.seats", "2")
                .containsEntry("gold.plan", "3")
                .containsEntry("gold.level", "4")
                .containsEntry("free.seats", "1")
                .containsEntry("free.plan", "0")
                .containsEntry("free.level", "0")
                .containsEntry("gold.Tier", "[FREE, GOLD]")
                .containsEntry("gold.Plan.Tier", "GOLD")
                .containsEntry("free.Plan", "Plan[Tier=FREE, seats=5]")
                .containsEntry("gold.copy", "true")
                .containsEntry("gold.hash", "true")
                .containsEntry("gold.other", "false");
    }

    @Test
    void variablesNamedLikeImportedClassesAndPackages_compileAndRead(@TempDir Path directory) throws Exception {
        // Generated classes Objects and TestValues make java.util.Objects and dev.tollgate.testing.TestValues appear
        // qualified, so java and dev are package names there.
        Map<String, Object> out = run(
                """
                input Context { id: String!  Objects: String!  List: [Int!]  GeneratedSupport: [Tier!]  java: String! }
                input TestValues { n: Int }
                enum Tier { FREE GOLD }
                type Objects { n: Int! }
                type Root {
                  quota(dev: Int): Int!
                  GeneratedSupport: Limits!
                  Objects: Objects!
                  limit(GeneratedSupport: Int, Objects: Tier, TestValues: Int, ConditionSpec: Tier): Int!
                  tiers(List: [Int!], Objects: [Tier!]): [Tier!]!
                  TestValues(ConditionSpec: Int!): Tier!
                }
                type Limits { n(List: [Int!], java: Int): Int! }
                """,
                """
                TollgateTestKit kit = TollgateTestKit.builder()
                        .limit(1)
                        .limit(2, Tier.GOLD, null, null, 5)
                        .tiers(java.util.List.of(Tier.GOLD))
                        .TestValues(Tier.FREE)
                        .TestValues(7, Tier.GOLD)
                        .GeneratedSupport(l -> l.n(8))
                        .Objects(o -> o.n(9))
                        .quota(10)
                        .quota(2, 11)
                        .build();
                Context context = Context.builder()
                        .id("u1")
                        .Objects("o")
                        .List(java.util.List.of(1, 2))
                        .GeneratedSupport(java.util.List.of(Tier.GOLD))
                        .java("j")
                        .build();
                Root root = kit.root(context);
                out.put("limit.match", root.limit(2, Tier.GOLD, 3, Tier.FREE, -1));
                out.put("limit.other", root.limit(2, Tier.FREE, 3, Tier.FREE, -1));
                out.put("tiers", root.tiers(java.util.List.of(1), java.util.List.of(Tier.FREE), java.util.List.of()));
                out.put("TestValues.7", root.TestValues(7, Tier.FREE));
                out.put("TestValues.6", root.TestValues(6, Tier.GOLD));
                out.put("GeneratedSupport.n", root.GeneratedSupport().n(java.util.List.of(), 1, -1));
                out.put("Objects.n", root.Objects().n(-1));
                out.put("quota.2", root.quota(2, -1));
                out.put("quota.3", root.quota(3, -1));
                out.put("context", context);
                """,
                directory);

        assertThat(strings(out))
                .containsEntry("limit.match", "5")
                .containsEntry("limit.other", "1")
                .containsEntry("tiers", "[GOLD]")
                .containsEntry("TestValues.7", "GOLD")
                .containsEntry("TestValues.6", "FREE")
                .containsEntry("GeneratedSupport.n", "8")
                .containsEntry("Objects.n", "9")
                .containsEntry("quota.2", "11")
                .containsEntry("quota.3", "10")
                .containsEntry("context", "Context[id=u1, Objects=o, List=[1, 2], GeneratedSupport=[GOLD], java=j]");
        assertThat(Files.readString(directory.resolve("main/com/acme/names/Context.java")))
                .contains("this.java_ = java.util.Objects.requireNonNull(java_, ");
        assertThat(Files.readString(directory.resolve("test/com/acme/names/TollgateTestKit.java")))
                .contains("dev.tollgate.testing.TestValues.with(conditions, ConditionSpec.eq(\"args.dev\", dev_))");
    }

    /** The names the emitters give their own parameters, locals, fields and lambda parameters. */
    private static final List<String> GENERATOR_NAMES = List.of(
            "value",
            "state",
            "base",
            "root",
            "arguments",
            "fallback",
            "node",
            "context",
            "builder",
            "slot",
            "o",
            "that",
            "prefix",
            "conditions",
            "condition",
            "values",
            "logic",
            "baseline",
            "kit",
            "client",
            "load",
            "type",
            "name",
            "schemaName",
            "extensionContext",
            "parameterContext");

    @Test
    void enumsNamedLikeTheGeneratorsOwnNames_compileAndRead(@TempDir Path directory) throws Exception {
        // Each enum is the type of a field with an argument of it, of a list field with a list argument, of an argument
        // of a field with an arguments class, and of a field and a list field of the context; the usage sets each
        // through the test kit and reads it back.
        StringBuilder enums = new StringBuilder();
        StringBuilder context = new StringBuilder();
        StringBuilder fields = new StringBuilder();
        StringBuilder builder = new StringBuilder("Ctx ctx = Ctx.builder().id(\"u1\")");
        StringBuilder values = new StringBuilder("TollgateTestKit testKit = TollgateTestKit.builder()");
        StringBuilder reads = new StringBuilder("Flags flags = testKit.root(ctx);\n");
        for (String name : GENERATOR_NAMES) {
            String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            enums.append("enum %1$s { A B }\n".formatted(name));
            context.append("  %1$sList: [%1$s!]  %1$s1: %1$s\n".formatted(name));
            fields.append(
                    """
                      %1$s1(b: %1$s): %1$s!
                      %1$sList(a: [%1$s!]): [%1$s!]!
                      %1$sN(a: %1$s, b: Int, c: Int, d: Int): Int!
                    """
                            .formatted(name));
            builder.append(".%1$sList(java.util.List.of(%1$s.B)).%1$s1(%1$s.A)".formatted(name));
            values.append(
                    """

                    .%1$s1(%1$s.B)
                    .%1$s1(%1$s.A, %1$s.A)
                    .%1$sList(java.util.List.of(%1$s.B))
                    .%1$sN(3)
                    .%1$sN(%1$s.B, null, null, null, 4)"""
                            .formatted(name));
            reads.append(
                    """
                    out.put("%1$s1", flags.%1$s1(null, %1$s.A));
                    out.put("%1$s1.A", flags.%1$s1(%1$s.A, %1$s.B));
                    out.put("%1$sList", flags.%1$sList(java.util.List.of(%1$s.A), java.util.List.of()));
                    out.put("%1$sN", flags.%1$sN(%1$s.B, 1, 2, 3, -1));
                    out.put("%1$sN.A", flags.%1$sN(%1$s.A, 1, 2, 3, -1));
                    out.put("%1$sN.arguments", flags.%1$sN(Flags.%2$sNArguments.builder().a(%1$s.B).build(), -1));
                    out.put("%1$s.input", ctx.%1$sList().get(0) + " " + ctx.%1$s1());
                    """
                            .formatted(name, capitalized));
        }
        String sdl = "type Query { root(context: Ctx!): Flags! }\n" + enums + "input Ctx {\n  id: String!\n" + context
                + "}\ntype Flags {\n" + fields + "}\n";
        String body = builder + ".build();\n" + values + "\n.build();\n" + reads
                + "out.put(\"extension\", TollgateExtension.withValues(v -> v.value1(value.B)).root(ctx).value1("
                + "null, value.A));\n";

        Map<String, String> out = strings(run(sdl, body, directory));

        for (String name : GENERATOR_NAMES) {
            assertThat(out)
                    .as(name)
                    .containsEntry(name + "1", "B")
                    .containsEntry(name + "1.A", "A")
                    .containsEntry(name + "List", "[B]")
                    .containsEntry(name + "N", "4")
                    .containsEntry(name + "N.A", "3")
                    .containsEntry(name + "N.arguments", "4")
                    .containsEntry(name + ".input", "B A");
        }
        assertThat(out).containsEntry("extension", "B");
    }

    @Test
    void entryPointAndTestKitNamedLikeTheirOwnParameters_compile(@TempDir Path directory) throws Exception {
        Map<String, Object> out = run(
                request(
                                """
                                input Context { id: String! }
                                type Root { seats: Int! }
                                """,
                                directory)
                        .entryClassName("baseline")
                        .testKitClassName("kit")
                        .extensionClassName("values")
                        .build(),
                """
                Context context = Context.builder().id("u1").build();
                out.put("kit", kit.builder().seats(3).build().root(context).seats(-1));
                out.put("extension", values.withValues(v -> v.seats(4)).root(context).seats(-1));
                out.put("create", baseline.create().root(context).seats(-1));
                """,
                directory);

        assertThat(strings(out))
                .containsEntry("kit", "3")
                .containsEntry("extension", "4")
                .containsEntry("create", "-1");
    }

    /** The results as strings: enum constants by name, lists as [A, B]. */
    private static Map<String, String> strings(Map<String, Object> out) {
        Map<String, String> strings = new java.util.LinkedHashMap<>();
        out.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return strings;
    }
}
