package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationFingerprintTest {

    private static GenerationRequest request(String sdl, String packageName) {
        return GenerationRequest.builder()
                .schema(new SchemaSource("schema.graphql", sdl))
                .packageName(packageName)
                .outputDirectory(Path.of("out"))
                .build();
    }

    @Test
    void sameInputs_andUntouchedOutputs_areUpToDate(@TempDir Path directory) throws IOException {
        Path output = Files.writeString(directory.resolve("Out.java"), "class Out {}");
        Path file = directory.resolve("state/generate.fingerprint");
        GenerationFingerprint.of(request("type Root { a: Int }", "p"), List.of("snapshot"))
                .save(file, List.of(output));

        assertThat(GenerationFingerprint.of(request("type Root { a: Int }", "p"), List.of("snapshot"))
                        .isUpToDate(file))
                .isTrue();
    }

    @Test
    void anyChangedInput_isNotUpToDate(@TempDir Path directory) throws IOException {
        Path output = Files.writeString(directory.resolve("Out.java"), "class Out {}");
        Path file = directory.resolve("generate.fingerprint");
        GenerationFingerprint.of(request("type Root { a: Int }", "p"), List.of("snapshot"))
                .save(file, List.of(output));

        assertThat(GenerationFingerprint.of(request("type Root { b: Int }", "p"), List.of("snapshot"))
                        .isUpToDate(file))
                .as("schema")
                .isFalse();
        assertThat(GenerationFingerprint.of(request("type Root { a: Int }", "q"), List.of("snapshot"))
                        .isUpToDate(file))
                .as("configuration")
                .isFalse();
        assertThat(GenerationFingerprint.of(request("type Root { a: Int }", "p"), List.of("other"))
                        .isUpToDate(file))
                .as("extra input")
                .isFalse();
    }

    @Test
    void editedOrDeletedOutputs_areNotUpToDate(@TempDir Path directory) throws IOException {
        Path output = Files.writeString(directory.resolve("Out.java"), "class Out {}");
        Path file = directory.resolve("generate.fingerprint");
        GenerationFingerprint fingerprint = GenerationFingerprint.of(request("type Root { a: Int }", "p"), List.of());
        fingerprint.save(file, List.of(output));

        Files.writeString(output, "class Out { int edited; }");
        assertThat(fingerprint.isUpToDate(file)).isFalse();

        Files.delete(output);
        assertThat(fingerprint.isUpToDate(file)).isFalse();
        assertThat(fingerprint.isUpToDate(directory.resolve("missing.fingerprint")))
                .isFalse();
    }

    @Test
    void recordedOutputs_areTheSavedOutputs_whateverTheInputs(@TempDir Path directory) throws IOException {
        Path first = Files.writeString(directory.resolve("A.java"), "class A {}");
        Path second = Files.writeString(directory.resolve("B.java"), "class B {}");
        Path file = directory.resolve("generate.fingerprint");
        GenerationFingerprint.of(request("type Root { a: Int }", "p"), List.of())
                .save(file, List.of(first, second));
        Files.delete(second);

        assertThat(GenerationFingerprint.recordedOutputs(file))
                .contains(List.of(
                        first.toAbsolutePath().normalize(),
                        second.toAbsolutePath().normalize()));
        assertThat(GenerationFingerprint.recordedOutputs(directory.resolve("missing.fingerprint")))
                .isEmpty();
        assertThat(GenerationFingerprint.recordedOutputs(Files.writeString(directory.resolve("other"), "x\n")))
                .isEmpty();
    }
}
