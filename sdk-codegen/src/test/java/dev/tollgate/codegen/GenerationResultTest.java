package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing generated files: only changed files are written, stale generated files go, other files stay. */
class GenerationResultTest {
    private static final String CONTEXT = "input Context { id: String! }\n";

    private static GenerationResult generate(Path output, String sdl) {
        return CodeGenerator.generate(GenerationRequest.builder()
                .schema(new SchemaSource("schema.graphql", CONTEXT + sdl))
                .packageName("com.acme.flags")
                .outputDirectory(output.resolve("main"))
                .testKitOutputDirectory(output.resolve("test"))
                .build());
    }

    @Test
    void write_writesEveryFileUnderItsRoot(@TempDir Path output) throws IOException {
        GenerationResult result = generate(output, "type Root { a: Int! }\n");

        GenerationResult.WriteSummary summary = result.write();

        assertThat(summary.written()).hasSize(result.files().size());
        assertThat(summary.unchanged()).isEmpty();
        assertThat(summary.deleted()).isEmpty();
        assertThat(output.resolve("main/com/acme/flags/Root.java")).isRegularFile();
        assertThat(output.resolve("test/com/acme/flags/TollgateTestKit.java")).isRegularFile();
        assertThat(result.outputPaths()).allMatch(Files::isRegularFile);
    }

    @Test
    void write_again_leavesUnchangedFilesAlone(@TempDir Path output) throws IOException {
        generate(output, "type Root { a: Int! }\n").write();
        Path root = output.resolve("main/com/acme/flags/Root.java");
        FileTime old = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(root, old);

        GenerationResult.WriteSummary summary =
                generate(output, "type Root { a: Int! }\n").write();

        assertThat(summary.written()).isEmpty();
        assertThat(Files.getLastModifiedTime(root)).isEqualTo(old);
    }

    @Test
    void write_deletesGeneratedFilesNoLongerGenerated_butNothingElse(@TempDir Path output) throws IOException {
        generate(output, "type Root { a: Int!  b: Plan }\nenum Plan { A }\n").write();
        Path handWritten = output.resolve("main/com/acme/flags/Handwritten.java");
        Files.writeString(handWritten, "package com.acme.flags;\nclass Handwritten {}\n");

        GenerationResult.WriteSummary summary =
                generate(output, "type Root { a: Int! }\n").write();

        assertThat(summary.deleted()).containsExactly(output.resolve("main/com/acme/flags/Plan.java"));
        assertThat(output.resolve("main/com/acme/flags/Plan.java")).doesNotExist();
        assertThat(handWritten).exists();
    }

    @Test
    void write_afterFailure_throws(@TempDir Path output) {
        GenerationResult result = generate(output, "type Root { a: Nope }\n");

        assertThatThrownBy(result::write)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("generation failed; nothing to write");
    }
}
