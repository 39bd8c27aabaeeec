package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares the generated sources with the files under {@code src/test/resources/golden}. After an intended change to
 * the generator, run {@code mvn test -Dtest=GoldenFilesTest -Dgolden.update=true} and review the diff.
 */
class GoldenFilesTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    /** The column limit palantir-java-format keeps the project's own sources to. */
    static final int COLUMN_LIMIT = 120;

    @ParameterizedTest
    @ValueSource(strings = {TestSchemas.SEED, TestSchemas.CATALOG, TestSchemas.TRICKY})
    void generate_matchesGoldenFiles(String name) throws IOException {
        GenerationResult result = CodeGenerator.generate(TestSchemas.request(name, Path.of("unused")));
        assertThat(result.diagnostics()).isEmpty();
        Path golden = GOLDEN.resolve(name);
        if (UPDATE) {
            rewrite(golden, result.files());
        }
        List<String> expectedPaths = goldenPaths(golden);
        assertThat(result.files().stream().map(GoldenFilesTest::goldenPath))
                .containsExactlyInAnyOrderElementsOf(expectedPaths);
        for (GeneratedFile file : result.files()) {
            String expected = Files.readString(golden.resolve(goldenPath(file)), StandardCharsets.UTF_8);
            assertThat(file.content()).as(goldenPath(file)).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestSchemas.SEED, TestSchemas.CATALOG, TestSchemas.TRICKY})
    void generate_twice_isByteForByteIdentical(String name) {
        GenerationResult first = CodeGenerator.generate(TestSchemas.request(name, Path.of("a")));
        GenerationResult second = CodeGenerator.generate(TestSchemas.request(name, Path.of("b")));
        assertThat(second.files()).isEqualTo(first.files());
    }

    @ParameterizedTest
    @ValueSource(strings = {TestSchemas.SEED, TestSchemas.CATALOG, TestSchemas.TRICKY})
    void generate_keepsEveryLineWithinTheColumnLimit(String name) {
        GenerationResult result = CodeGenerator.generate(TestSchemas.request(name, Path.of("unused")));

        assertThat(result.files()).isNotEmpty();
        assertThat(linesOverColumnLimit(result)).isEmpty();
    }

    /** Each line of the generated files longer than {@link #COLUMN_LIMIT}, as "file:line: length: text". */
    static List<String> linesOverColumnLimit(GenerationResult result) {
        List<String> tooLong = new ArrayList<>();
        for (GeneratedFile file : result.files()) {
            String[] lines = file.content().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].length() > COLUMN_LIMIT) {
                    tooLong.add(goldenPath(file) + ":" + (i + 1) + ": " + lines[i].length() + ": " + lines[i].strip());
                }
            }
        }
        return tooLong;
    }

    private static String goldenPath(GeneratedFile file) {
        return (file.kind() == GeneratedFile.Kind.MAIN ? "main/" : "test/") + file.relativePath();
    }

    private static List<String> goldenPaths(Path golden) throws IOException {
        try (Stream<Path> files = Files.walk(golden)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> golden.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    private static void rewrite(Path golden, List<GeneratedFile> files) throws IOException {
        if (Files.exists(golden)) {
            try (Stream<Path> old = Files.walk(golden)) {
                for (Path path : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        for (GeneratedFile file : files) {
            Path target = golden.resolve(goldenPath(file));
            Files.createDirectories(target.getParent());
            Files.writeString(target, file.content(), StandardCharsets.UTF_8);
        }
    }
}
