package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
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

    @Test
    void enumNamedClass_leavesTheExtensionsClassTypesQualified(@TempDir Path directory) throws IOException {
        GenerationResult result = compile(
                """
                input Context { id: String! }
                enum Class { ECONOMY BUSINESS }
                type Root { seat: Class! }
                """,
                directory);

        assertThat(GeneratedCodeTest.content(result, "TollgateExtension"))
                .contains("java.lang.Class<?> type = parameterContext.getParameter().getType();");
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
}
