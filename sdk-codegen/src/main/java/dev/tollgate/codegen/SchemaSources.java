package dev.tollgate.codegen;

import dev.tollgate.Schema;
import dev.tollgate.SchemaException;
import dev.tollgate.SchemaProblem;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.schema.SchemaParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Parses a schema that may be split over several files. The files are read as one document, in the order given, and
 * every problem is reported at its place in the file it comes from.
 */
public final class SchemaSources {
    private final List<SchemaSource> sources;
    private final String name;
    private final String text;
    private final int[] firstLines;

    private SchemaSources(List<SchemaSource> sources) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("at least one schema file is needed");
        }
        this.sources = List.copyOf(sources);
        List<String> names = new ArrayList<>();
        StringBuilder combined = new StringBuilder();
        firstLines = new int[sources.size()];
        int line = 1;
        for (int i = 0; i < sources.size(); i++) {
            SchemaSource source = sources.get(i);
            names.add(source.name());
            firstLines[i] = line;
            String sourceText = source.text();
            if (i > 0 && sourceText.startsWith("\uFEFF")) {
                sourceText = " " + sourceText.substring(1);
            }
            combined.append(sourceText);
            if (!sourceText.endsWith("\n")) {
                combined.append('\n');
            }
            line += lineCount(sourceText);
        }
        this.name = String.join(", ", names);
        this.text = combined.toString();
    }

    /**
     * Reads the schema files named on a command line or in a build: each path is a file, or a directory searched
     * (recursively, in sorted order) for {@code *.graphql} and {@code *.graphqls} files. Each file is named by its path
     * relative to {@code base}, so that error messages are short and generated code does not depend on where the
     * project lives.
     *
     * @throws IOException if a file cannot be read or a path does not exist
     */
    public static List<SchemaSource> read(List<Path> paths, Path base) throws IOException {
        List<SchemaSource> sources = new ArrayList<>();
        Path absoluteBase = base.toAbsolutePath().normalize();
        for (Path path : paths) {
            List<Path> files;
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    files = walk.filter(Files::isRegularFile)
                            .filter(p -> p.toString().endsWith(".graphql")
                                    || p.toString().endsWith(".graphqls"))
                            .sorted()
                            .toList();
                }
            } else if (Files.isRegularFile(path)) {
                files = List.of(path);
            } else {
                throw new java.nio.file.NoSuchFileException(path.toString(), null, "no schema file or directory");
            }
            for (Path file : files) {
                Path absolute = file.toAbsolutePath().normalize();
                String name = absolute.startsWith(absoluteBase)
                        ? absoluteBase.relativize(absolute).toString()
                        : file.toString();
                sources.add(SchemaSource.read(file, name.replace('\\', '/')));
            }
        }
        return sources;
    }

    /** The schema files as one document, in this order. */
    public static SchemaSources of(List<SchemaSource> sources) {
        return new SchemaSources(Objects.requireNonNull(sources, "sources"));
    }

    /**
     * Parses and validates the schema.
     *
     * @throws SchemaException listing every problem with the file, line and column it was found at
     */
    public Schema parse() {
        return ApiAccess.schema(model());
    }

    /** {@link #parse()}, as the model the generator reads. */
    SchemaModel model() {
        try {
            return SchemaParser.parse(text, name);
        } catch (SchemaException e) {
            List<SchemaProblem> problems = new ArrayList<>();
            for (SchemaProblem problem : e.problems()) {
                problems.add(locate(problem));
            }
            throw new SchemaException(problems);
        }
    }

    /** The name the combined document is parsed under: the file names, comma-separated. */
    public String name() {
        return name;
    }

    /** The combined SDL, which is what generated code embeds. */
    public String text() {
        return text;
    }

    public List<SchemaSource> sources() {
        return sources;
    }

    /** Maps a problem found in the combined document back to the file and line it came from. */
    public SchemaProblem locate(SchemaProblem problem) {
        if (problem == null || !problem.file().equals(name) || sources.size() == 1) {
            return problem;
        }
        int index = 0;
        while (index + 1 < firstLines.length && firstLines[index + 1] <= problem.line()) {
            index++;
        }
        return new SchemaProblem(
                sources.get(index).name(), problem.line() - firstLines[index] + 1, problem.column(), problem.message());
    }

    private static int lineCount(String text) {
        int lines = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                lines++;
            }
        }
        return text.isEmpty() || text.endsWith("\n") || text.endsWith("\r") ? lines : lines + 1;
    }
}
