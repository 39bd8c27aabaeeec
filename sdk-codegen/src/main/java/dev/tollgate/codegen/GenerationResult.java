package dev.tollgate.codegen;

import dev.tollgate.codegen.internal.JavaGenerator;
import dev.tollgate.schema.Schema;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The outcome of {@link CodeGenerator#generate(GenerationRequest)}: the generated files, in a fixed order, and the
 * diagnostics. When there is an error, there are no files.
 */
public final class GenerationResult {
    private final GenerationRequest request;
    private final Schema schema;
    private final List<GeneratedFile> files;
    private final List<Diagnostic> diagnostics;

    GenerationResult(
            GenerationRequest request, Schema schema, List<GeneratedFile> files, List<Diagnostic> diagnostics) {
        this.request = request;
        this.schema = schema;
        this.files = List.copyOf(files);
        this.diagnostics = List.copyOf(diagnostics);
    }

    public GenerationRequest request() {
        return request;
    }

    /** The parsed schema, unless it had errors. */
    public Optional<Schema> schema() {
        return Optional.ofNullable(schema);
    }

    /** The generated files, main sources first, each group sorted by path; empty when there is an error. */
    public List<GeneratedFile> files() {
        return files;
    }

    /** Errors and warnings, in the order found. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }

    /** Whether there are no errors. */
    public boolean successful() {
        return errors().isEmpty();
    }

    /** The paths the files are written to by {@link #write()}, in the order of {@link #files()}. */
    public List<Path> outputPaths() {
        List<Path> paths = new ArrayList<>();
        for (GeneratedFile file : files) {
            paths.add(root(file.kind()).resolve(file.relativePath()));
        }
        return paths;
    }

    /**
     * Writes the files under the request's output directories. A file whose content is already on disk is left alone,
     * so its timestamp does not trigger recompilation; Java files an earlier run generated there that this run did not
     * (recognized by the generator's header) are deleted. Other files are never touched.
     *
     * @throws IllegalStateException if generation failed
     */
    public WriteSummary write() throws IOException {
        if (!successful()) {
            throw new IllegalStateException("generation failed; nothing to write:\n" + errors());
        }
        List<Path> written = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        Set<Path> current = new HashSet<>();
        for (GeneratedFile file : files) {
            Path target = root(file.kind())
                    .resolve(file.relativePath())
                    .toAbsolutePath()
                    .normalize();
            current.add(target);
            byte[] content = file.content().getBytes(StandardCharsets.UTF_8);
            if (Files.isRegularFile(target) && java.util.Arrays.equals(Files.readAllBytes(target), content)) {
                unchanged.add(target);
            } else {
                Files.createDirectories(target.getParent());
                Files.write(target, content);
                written.add(target);
            }
        }
        List<Path> deleted = new ArrayList<>();
        deleteStale(request.outputDirectory(), current, deleted);
        if (request.generatesTestKit()) {
            deleteStale(request.testKitOutputDirectory(), current, deleted);
        }
        return new WriteSummary(written, unchanged, deleted);
    }

    private Path root(GeneratedFile.Kind kind) {
        return kind == GeneratedFile.Kind.MAIN ? request.outputDirectory() : request.testKitOutputDirectory();
    }

    private static void deleteStale(Path root, Set<Path> current, List<Path> deleted) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> candidates;
        try (Stream<Path> walk = Files.walk(root)) {
            candidates = walk.filter(p -> p.toString().endsWith(".java"))
                    .filter(Files::isRegularFile)
                    .map(p -> p.toAbsolutePath().normalize())
                    .filter(p -> !current.contains(p))
                    .sorted()
                    .toList();
        }
        for (Path candidate : candidates) {
            if (isGenerated(candidate)) {
                Files.delete(candidate);
                deleted.add(candidate);
            }
        }
    }

    private static boolean isGenerated(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = reader.readLine();
            return first != null && first.startsWith(JavaGenerator.HEADER_MARKER);
        } catch (java.nio.charset.MalformedInputException e) {
            return false;
        }
    }

    /**
     * What {@link #write()} did.
     *
     * @param written files created or changed
     * @param unchanged files already up to date
     * @param deleted files of an earlier run that this run no longer generates
     */
    public record WriteSummary(List<Path> written, List<Path> unchanged, List<Path> deleted) {
        public WriteSummary {
            written = List.copyOf(written);
            unchanged = List.copyOf(unchanged);
            deleted = List.copyOf(deleted);
        }
    }
}
