package dev.tollgate.codegen.maven;

import dev.tollgate.SnapshotProblem;
import dev.tollgate.codegen.SchemaSource;
import dev.tollgate.codegen.SchemaSources;
import dev.tollgate.codegen.SnapshotValidator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;

/** What the goals share: finding the schema files and reporting snapshot problems. */
final class Maven {

    private Maven() {}

    /** The schema files, named relative to the project directory. */
    static List<SchemaSource> readSchemas(MavenProject project, File directory, List<File> files)
            throws MojoExecutionException, MojoFailureException {
        List<Path> paths = new ArrayList<>();
        if (files != null && !files.isEmpty()) {
            files.forEach(file -> paths.add(file.toPath()));
        } else {
            paths.add(directory.toPath());
        }
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new MojoFailureException("Tollgate: " + relative(project, path)
                        + " does not exist; put the schema there or set <schemaDirectory> or <schemaFiles>");
            }
        }
        List<SchemaSource> sources;
        try {
            sources = SchemaSources.read(paths, project.getBasedir().toPath());
        } catch (IOException e) {
            throw new MojoExecutionException("Tollgate: cannot read the schema: " + e.getMessage(), e);
        }
        if (sources.isEmpty()) {
            throw new MojoFailureException(
                    "Tollgate: no *.graphql or *.graphqls file in " + relative(project, directory.toPath()));
        }
        return sources;
    }

    /** Logs a snapshot's problems and warnings; throws listing the problems if there are any. */
    static void failOnProblems(Log log, String name, SnapshotValidator.ValidationResult result)
            throws MojoFailureException {
        for (String warning : result.warnings()) {
            log.warn(name + ": " + warning);
        }
        if (result.valid()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (SnapshotProblem problem : result.problems()) {
            log.error(name + ": " + problem);
            lines.add("  " + problem);
        }
        throw new MojoFailureException("Tollgate: snapshot " + name + " is invalid ("
                + count(result.problems().size(), "problem") + "):\n" + String.join("\n", lines));
    }

    static String relative(MavenProject project, Path path) {
        Path base = project.getBasedir().toPath().toAbsolutePath().normalize();
        Path absolute = path.toAbsolutePath().normalize();
        return (absolute.startsWith(base) ? base.relativize(absolute) : absolute)
                .toString()
                .replace('\\', '/');
    }

    static String describe(List<SchemaSource> schemas) {
        List<String> names = new ArrayList<>();
        schemas.forEach(schema -> names.add(schema.name()));
        return String.join(", ", names);
    }

    static String count(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
