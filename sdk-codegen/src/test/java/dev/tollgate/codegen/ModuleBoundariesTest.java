package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The generator is Maven-free: only the goals in {@code dev.tollgate.codegen.maven} may touch Maven's API. */
class ModuleBoundariesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/tollgate/codegen");

    @Test
    void onlyTheMavenPackage_importsMaven() throws IOException {
        List<Path> offenders;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(SOURCES.resolve("maven")))
                    .filter(ModuleBoundariesTest::mentionsMaven)
                    .toList();
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theMavenPackage_isOnlyTheGoals() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES.resolve("maven"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("GenerateMojo.java", "ValidateMojo.java", "Maven.java");
        }
    }

    private static boolean mentionsMaven(Path file) {
        try {
            return Files.readString(file).contains("org.apache.maven");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
