package dev.tollgate.codegen.maven;

import dev.tollgate.Schema;
import dev.tollgate.SchemaException;
import dev.tollgate.codegen.SchemaSources;
import dev.tollgate.codegen.SnapshotValidator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Validates snapshot files against the schema exactly as a client would before installing them, and fails the build
 * listing every problem with its flag path. For teams that keep their logic in Git and check it in CI.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VALIDATE, threadSafe = true)
public final class ValidateMojo extends AbstractMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** The directory holding the schema: every {@code *.graphql} and {@code *.graphqls} file in it, in path order. */
    @Parameter(property = "tollgate.schemaDirectory", defaultValue = "${project.basedir}/src/main/tollgate")
    private File schemaDirectory;

    /** Schema files to use instead of searching {@code schemaDirectory}; read as one document, in this order. */
    @Parameter
    private List<File> schemaFiles;

    /** The snapshot to validate. */
    @Parameter(property = "tollgate.snapshot")
    private File snapshot;

    /** More snapshots to validate. */
    @Parameter
    private List<File> snapshots;

    /** Skips validation. */
    @Parameter(property = "tollgate.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Tollgate: validation skipped (tollgate.skip)");
            return;
        }
        List<File> files = new ArrayList<>();
        if (snapshot != null) {
            files.add(snapshot);
        }
        if (snapshots != null) {
            files.addAll(snapshots);
        }
        if (files.isEmpty()) {
            throw new MojoFailureException(
                    "Tollgate: no snapshot to validate; set <snapshot> or <snapshots>, or -Dtollgate.snapshot=FILE");
        }
        Schema schema = schema();
        List<String> invalid = new ArrayList<>();
        for (File file : files) {
            String name = Maven.relative(project, file.toPath());
            if (!file.isFile()) {
                throw new MojoFailureException("Tollgate: snapshot " + name + " does not exist");
            }
            byte[] content;
            try {
                content = Files.readAllBytes(file.toPath());
            } catch (IOException e) {
                throw new MojoExecutionException("Tollgate: cannot read snapshot " + name + ": " + e.getMessage(), e);
            }
            SnapshotValidator.ValidationResult result = SnapshotValidator.validate(schema, content);
            try {
                Maven.failOnProblems(getLog(), name, result);
                getLog().info("Tollgate: " + name + " is valid (revision " + result.revision() + ")");
            } catch (MojoFailureException e) {
                invalid.add(e.getMessage());
            }
        }
        if (!invalid.isEmpty()) {
            throw new MojoFailureException(String.join("\n", invalid));
        }
    }

    private Schema schema() throws MojoExecutionException, MojoFailureException {
        SchemaSources sources = SchemaSources.of(Maven.readSchemas(project, schemaDirectory, schemaFiles));
        try {
            return sources.parse();
        } catch (SchemaException e) {
            e.problems().forEach(problem -> getLog().error(problem.toString()));
            throw new MojoFailureException(
                    "Tollgate: the schema has " + Maven.count(e.problems().size(), "error") + ":\n" + e.getMessage());
        }
    }
}
