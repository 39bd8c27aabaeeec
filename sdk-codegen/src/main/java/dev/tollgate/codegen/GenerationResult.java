package dev.tollgate.codegen;

import dev.tollgate.Schema;
import dev.tollgate.codegen.internal.JavaGenerator;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.SchemaModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The outcome of {@link CodeGenerator#generate(GenerationRequest)}: the generated files, in a fixed order, and the
 * diagnostics. When there is an error, there are no files.
 */
public final class GenerationResult {
    private final GenerationRequest request;
    private final SchemaModel schema;
    private final List<GeneratedFile> files;
    private final List<Diagnostic> diagnostics;

    GenerationResult(
            GenerationRequest request, SchemaModel schema, List<GeneratedFile> files, List<Diagnostic> diagnostics) {
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
        return Optional.ofNullable(schema).map(ApiAccess::schema);
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
     * so its timestamp does not trigger recompilation. Java files an earlier run generated in this request's package
     * directories (recognized by the generator's header) that this run did not generate are deleted; subdirectories,
     * other packages and files without the header are never touched, so generations for other packages can share the
     * output directories.
     *
     * <p>Two generations for the same package sharing a directory would still delete each other's files: give them
     * their own directories, or record what each wrote and call {@link #write(Collection)}.
     *
     * @throws IllegalStateException if generation failed
     */
    public WriteSummary write() throws IOException {
        Set<Path> current = new HashSet<>();
        List<Path> written = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        writeFiles(current, written, unchanged);
        List<Path> candidates = new ArrayList<>();
        for (Path directory : packageDirectories()) {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> list = Files.list(directory)) {
                    list.forEach(candidates::add);
                }
            }
        }
        return new WriteSummary(written, unchanged, deleteStale(candidates, current));
    }

    /**
     * Writes the files like {@link #write()}, but deletes only the files {@code previousOutputs} names (the outputs an
     * earlier run of the same request wrote, as its caller recorded them) that this run did not generate, that are
     * under this request's output directories and that still begin with the generator's header. Nothing else in the
     * output directories is touched, so any number of generations can share them.
     *
     * @param previousOutputs the {@link #outputPaths()} of the previous run, or an empty list when none is known
     * @throws IllegalStateException if generation failed
     */
    public WriteSummary write(Collection<Path> previousOutputs) throws IOException {
        Objects.requireNonNull(previousOutputs, "previousOutputs");
        Set<Path> current = new HashSet<>();
        List<Path> written = new ArrayList<>();
        List<Path> unchanged = new ArrayList<>();
        writeFiles(current, written, unchanged);
        List<Path> roots = new ArrayList<>();
        roots.add(normalized(request.outputDirectory()));
        if (request.generatesTestKit()) {
            roots.add(normalized(request.testKitOutputDirectory()));
        }
        List<Path> candidates = new ArrayList<>();
        for (Path previous : previousOutputs) {
            Path candidate = normalized(previous);
            if (roots.stream().anyMatch(root -> !candidate.equals(root) && candidate.startsWith(root))) {
                candidates.add(candidate);
            }
        }
        return new WriteSummary(written, unchanged, deleteStale(candidates, current));
    }

    private void writeFiles(Set<Path> current, List<Path> written, List<Path> unchanged) throws IOException {
        if (!successful()) {
            throw new IllegalStateException("generation failed; nothing to write:\n" + errors());
        }
        for (GeneratedFile file : files) {
            Path target = normalized(root(file.kind()).resolve(file.relativePath()));
            current.add(target);
            byte[] content = file.content().getBytes(StandardCharsets.UTF_8);
            if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), content)) {
                unchanged.add(target);
            } else {
                Files.createDirectories(target.getParent());
                Files.write(target, content);
                written.add(target);
            }
        }
    }

    private Path root(GeneratedFile.Kind kind) {
        return kind == GeneratedFile.Kind.MAIN ? request.outputDirectory() : request.testKitOutputDirectory();
    }

    /** The directories this request's files go in: the package's directory under each output directory. */
    private Set<Path> packageDirectories() {
        String packagePath = request.packageName().replace('.', '/');
        Set<Path> directories = new TreeSet<>();
        directories.add(normalized(request.outputDirectory().resolve(packagePath)));
        if (request.generatesTestKit()) {
            directories.add(normalized(request.testKitOutputDirectory().resolve(packagePath)));
        }
        return directories;
    }

    /** Deletes the candidates that are generated Java files this run did not write; returns them, sorted. */
    private static List<Path> deleteStale(List<Path> candidates, Set<Path> current) throws IOException {
        List<Path> stale = candidates.stream()
                .map(GenerationResult::normalized)
                .filter(p -> p.toString().endsWith(".java"))
                .filter(p -> !current.contains(p))
                .filter(Files::isRegularFile)
                .distinct()
                .sorted()
                .toList();
        List<Path> deleted = new ArrayList<>();
        for (Path candidate : stale) {
            if (isGenerated(candidate)) {
                Files.delete(candidate);
                deleted.add(candidate);
            }
        }
        return deleted;
    }

    private static Path normalized(Path path) {
        return path.toAbsolutePath().normalize();
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
     * @param deleted generated files of an earlier run that this run no longer generates
     */
    public record WriteSummary(List<Path> written, List<Path> unchanged, List<Path> deleted) {
        public WriteSummary {
            written = List.copyOf(written);
            unchanged = List.copyOf(unchanged);
            deleted = List.copyOf(deleted);
        }
    }
}
