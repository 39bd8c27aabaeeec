package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing generated files: only changed files are written, stale generated files of the same generation go, other
 * files (hand-written ones, other packages', other generations') stay.
 */
class GenerationResultTest {
    private static final String CONTEXT = "input Context { id: String! }\n";

    private static GenerationResult generate(Path output, String sdl) {
        return generate(output, sdl, "com.acme.flags");
    }

    private static GenerationResult generate(Path output, String sdl, String packageName) {
        return CodeGenerator.generate(GenerationRequest.builder()
                .schema(new SchemaSource("schema.graphql", CONTEXT + sdl))
                .packageName(packageName)
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
    void write_twoPackagesInOneDirectory_keepEachOthersFiles(@TempDir Path output) throws IOException {
        String sdl = "type Root { a: Int!  b: Plan }\nenum Plan { A }\n";
        generate(output, sdl, "com.acme.billing").write();

        GenerationResult.WriteSummary ops =
                generate(output, sdl, "com.acme.ops").write();

        assertThat(ops.deleted()).isEmpty();
        assertThat(output.resolve("main/com/acme/billing/Plan.java")).isRegularFile();
        assertThat(output.resolve("main/com/acme/billing/Tollgate.java")).isRegularFile();
        assertThat(output.resolve("test/com/acme/billing/TollgateTestKit.java")).isRegularFile();

        GenerationResult.WriteSummary billing =
                generate(output, "type Root { a: Int! }\n", "com.acme.billing").write();

        assertThat(billing.deleted()).containsExactly(output.resolve("main/com/acme/billing/Plan.java"));
        assertThat(output.resolve("main/com/acme/ops/Plan.java")).isRegularFile();
        assertThat(output.resolve("main/com/acme/ops/Root.java")).isRegularFile();
        assertThat(output.resolve("test/com/acme/ops/TollgateTestKit.java")).isRegularFile();
    }

    @Test
    void write_aPackageLeavesItsSubpackagesAlone(@TempDir Path output) throws IOException {
        generate(output, "type Root { a: Int! }\n", "com.acme.flags.ops").write();

        GenerationResult.WriteSummary parent =
                generate(output, "type Root { a: Int! }\n", "com.acme.flags").write();

        assertThat(parent.deleted()).isEmpty();
        assertThat(output.resolve("main/com/acme/flags/ops/Root.java")).isRegularFile();
    }

    @Test
    void write_withPreviousOutputs_deletesOnlyThoseNoLongerGenerated(@TempDir Path output) throws IOException {
        // Two generations into one package and one directory: only the outputs each recorded are its own.
        GenerationResult billing = generate(output, "type Root { a: Int!  b: Plan }\nenum Plan { A }\n");
        billing.write(List.of());
        List<Path> billingOutputs = billing.outputPaths();
        GenerationResult ops = CodeGenerator.generate(GenerationRequest.builder()
                .schema(new SchemaSource(
                        "ops.graphql",
                        "type Query { root(context: OpsContext!): Ops! }\ninput OpsContext { id: String! }\n"
                                + "type Ops { c: Int! }\n"))
                .packageName("com.acme.flags")
                .entryClassName("OpsTollgate")
                .outputDirectory(output.resolve("main"))
                .testKitOutputDirectory(output.resolve("test"))
                .build());
        assertThat(ops.write(List.of()).deleted()).isEmpty();
        List<Path> opsOutputs = ops.outputPaths();

        GenerationResult.WriteSummary summary =
                generate(output, "type Root { a: Int! }\n").write(billingOutputs);

        assertThat(summary.deleted()).containsExactly(output.resolve("main/com/acme/flags/Plan.java"));
        assertThat(opsOutputs).allMatch(Files::isRegularFile);
        assertThat(ops.write(opsOutputs).deleted()).isEmpty();
    }

    @Test
    void write_withPreviousOutputs_leavesFilesOutsideItsDirectoriesAndWithoutTheHeader(@TempDir Path output)
            throws IOException {
        GenerationResult result = generate(output, "type Root { a: Int! }\n");
        result.write();
        Path handWritten = Files.writeString(
                output.resolve("main/com/acme/flags/Handwritten.java"),
                "package com.acme.flags;\nclass Handwritten {}\n");
        Path elsewhere = output.resolve("elsewhere/com/acme/flags/Old.java");
        Files.createDirectories(elsewhere.getParent());
        Files.writeString(elsewhere, Files.readString(output.resolve("main/com/acme/flags/Root.java")));

        GenerationResult.WriteSummary summary = result.write(List.of(handWritten, elsewhere));

        assertThat(summary.deleted()).isEmpty();
        assertThat(handWritten).exists();
        assertThat(elsewhere).exists();
    }

    @Test
    void write_afterFailure_throws(@TempDir Path output) {
        GenerationResult result = generate(output, "type Root { a: Nope }\n");

        assertThatThrownBy(() -> result.write(List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("generation failed; nothing to write");
        assertThatThrownBy(result::write)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("generation failed; nothing to write");
    }
}
