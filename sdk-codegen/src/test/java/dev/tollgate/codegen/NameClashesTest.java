package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema names that clash with what the generator names itself: each schema either compiles with {@code -Xlint:all
 * -Werror}, test kit and JUnit extension included, or is rejected with a diagnostic at the name's location.
 */
class NameClashesTest {

    private static GenerationRequest request(String sdl, Path directory) {
        return GenerationRequest.builder()
                .schema(new SchemaSource("schema.graphql", sdl))
                .packageName("com.acme.names")
                .outputDirectory(directory.resolve("main"))
                .testKitOutputDirectory(directory.resolve("test"))
                .build();
    }

    /** Generates, writes and compiles the schema, failing with javac's diagnostics if it does not compile. */
    private static GenerationResult compile(String sdl, Path directory) throws IOException {
        GenerationResult result = CodeGenerator.generate(request(sdl, directory));
        assertThat(result.diagnostics()).isEmpty();
        result.write();
        InMemoryCompiler.compile(
                List.of(directory.resolve("main"), directory.resolve("test")), directory.resolve("classes"));
        return result;
    }

    /** The diagnostics of a schema that does not generate. */
    private static List<String> errors(String sdl) {
        GenerationResult result = CodeGenerator.generate(request(sdl, Path.of("unused")));
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
}
