package dev.tollgate.codegen.maven;

import dev.tollgate.codegen.CodeGenerator;
import dev.tollgate.codegen.Diagnostic;
import dev.tollgate.codegen.GenerationFingerprint;
import dev.tollgate.codegen.GenerationRequest;
import dev.tollgate.codegen.GenerationResult;
import dev.tollgate.codegen.SnapshotValidator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Generates typed Java from the Tollgate schema: node classes, input classes, enums and the entry point into {@code
 * outputDirectory} (a compile source root), and the test kit into {@code testKitOutputDirectory} (a test compile source
 * root). Skips the work when neither the schema, the configuration nor the generator changed since the last run.
 *
 * <p>This class only maps its parameters to a {@link GenerationRequest}; the generator knows nothing about Maven.
 */
@Mojo(
        name = "generate",
        defaultPhase = LifecyclePhase.GENERATE_SOURCES,
        requiresDependencyCollection = ResolutionScope.TEST,
        threadSafe = true)
public final class GenerateMojo extends AbstractMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution execution;

    /** The directory holding the schema: every {@code *.graphql} and {@code *.graphqls} file in it, in path order. */
    @Parameter(property = "tollgate.schemaDirectory", defaultValue = "${project.basedir}/src/main/tollgate")
    private File schemaDirectory;

    /** Schema files to use instead of searching {@code schemaDirectory}; read as one document, in this order. */
    @Parameter
    private List<File> schemaFiles;

    /** The Java package of the generated classes, such as {@code com.acme.flags}. */
    @Parameter(property = "tollgate.packageName", required = true)
    private String packageName;

    /** Where the generated main sources go; added as a compile source root. */
    @Parameter(
            property = "tollgate.outputDirectory",
            defaultValue = "${project.build.directory}/generated-sources/tollgate")
    private File outputDirectory;

    /** Where the generated test kit goes; added as a test compile source root. */
    @Parameter(defaultValue = "${project.build.directory}/generated-test-sources/tollgate")
    private File testKitOutputDirectory;

    /** Whether to generate the typed test kit. */
    @Parameter(property = "tollgate.generateTestKit", defaultValue = "true")
    private boolean generateTestKit;

    /**
     * Whether the test kit includes a JUnit 5 extension: {@code true}, {@code false}, or {@code auto} to generate it
     * when junit-jupiter-api is among the project's test dependencies.
     */
    @Parameter(property = "tollgate.junitExtension", defaultValue = "auto")
    private String junitExtension;

    /** The name of the entry point class. */
    @Parameter(defaultValue = GenerationRequest.DEFAULT_ENTRY_CLASS_NAME)
    private String entryClassName;

    /** The name of the test kit class; the entry class name followed by {@code TestKit} unless set. */
    @Parameter
    private String testKitClassName;

    /** The name of the JUnit extension class; the entry class name followed by {@code Extension} unless set. */
    @Parameter
    private String extensionClassName;

    /** Java class names for schema types, for example {@code <Root>Flags</Root>}. */
    @Parameter
    private Map<String, String> typeNames;

    /**
     * A snapshot to embed in the build: validated against the schema (failing the build when invalid), packaged as a
     * classpath resource, and loaded by the entry point when it is created, so the first evaluation is right even
     * before any other snapshot arrives.
     */
    @Parameter(property = "tollgate.buildTimeSnapshot")
    private File buildTimeSnapshot;

    /** The classpath resource name of the embedded snapshot; {@code <package path>/tollgate-snapshot.json} unless set. */
    @Parameter
    private String buildTimeSnapshotResource;

    /** Where the embedded snapshot is staged; added as a resource directory. */
    @Parameter(defaultValue = "${project.build.directory}/generated-resources/tollgate")
    private File resourceOutputDirectory;

    /** Skips generation; the source roots are still added. */
    @Parameter(property = "tollgate.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project.build.directory}/tollgate-codegen", readonly = true)
    private File stateDirectory;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
        if (generateTestKit) {
            project.addTestCompileSourceRoot(testKitOutputDirectory.getAbsolutePath());
        }
        if (buildTimeSnapshot != null) {
            addResourceDirectory();
        }
        if (skip) {
            getLog().info("Tollgate: generation skipped (tollgate.skip)");
            return;
        }
        GenerationRequest request = request();
        byte[] snapshot = buildTimeSnapshot == null ? null : readSnapshot();
        Path fingerprintFile = stateDirectory.toPath().resolve(execution.getExecutionId() + ".fingerprint");
        GenerationFingerprint fingerprint = GenerationFingerprint.of(
                request, snapshot == null ? List.of() : List.of(HexFormat.of().formatHex(snapshot)));
        try {
            if (fingerprint.isUpToDate(fingerprintFile)) {
                getLog().info("Tollgate: generated sources are up to date");
                if (snapshot != null && stageSnapshot(snapshot, request.buildTimeSnapshotResource())) {
                    // Validated by the run that recorded the fingerprint, whose inputs include the snapshot.
                    getLog().info("Tollgate: staged the embedded snapshot "
                            + Maven.relative(project, buildTimeSnapshot.toPath()) + " again as "
                            + request.buildTimeSnapshotResource());
                }
                return;
            }
            GenerationResult result = CodeGenerator.generate(request);
            report(result);
            if (snapshot != null) {
                embedSnapshot(result, snapshot, request.buildTimeSnapshotResource());
            }
            // Deletes only what this execution wrote last time: other executions may share the output directories.
            GenerationResult.WriteSummary summary = result.write(
                    GenerationFingerprint.recordedOutputs(fingerprintFile).orElse(List.of()));
            fingerprint.save(fingerprintFile, result.outputPaths());
            getLog().info("Tollgate: generated " + result.files().size() + " files from "
                    + Maven.describe(request.schemas()) + " ("
                    + summary.written().size() + " written, "
                    + summary.unchanged().size() + " unchanged, "
                    + summary.deleted().size() + " deleted)");
        } catch (IOException e) {
            throw new MojoExecutionException("Tollgate: cannot write the generated sources: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new MojoExecutionException("Tollgate: code generation failed unexpectedly: " + e, e);
        }
    }

    private GenerationRequest request() throws MojoExecutionException, MojoFailureException {
        String resource = buildTimeSnapshot == null
                ? null
                : buildTimeSnapshotResource != null
                        ? buildTimeSnapshotResource
                        : packageName.replace('.', '/') + "/tollgate-snapshot.json";
        try {
            return GenerationRequest.builder()
                    .schemas(Maven.readSchemas(project, schemaDirectory, schemaFiles))
                    .packageName(packageName)
                    .outputDirectory(outputDirectory.toPath())
                    .testKitOutputDirectory(generateTestKit ? testKitOutputDirectory.toPath() : null)
                    .entryClassName(entryClassName)
                    .testKitClassName(testKitClassName)
                    .junitExtension(junitExtensionEnabled())
                    .extensionClassName(extensionClassName)
                    .buildTimeSnapshotResource(resource)
                    .typeNames(typeNames == null ? Map.of() : typeNames)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("Tollgate: " + e.getMessage(), e);
        }
    }

    private boolean junitExtensionEnabled() throws MojoFailureException {
        switch (junitExtension.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            case "auto":
                for (Artifact artifact : project.getArtifacts()) {
                    if (artifact.getGroupId().equals("org.junit.jupiter")
                            && artifact.getArtifactId().equals("junit-jupiter-api")) {
                        return true;
                    }
                }
                getLog().info("Tollgate: no junit-jupiter-api test dependency; the test kit has no JUnit extension");
                return false;
            default:
                throw new MojoFailureException(
                        "Tollgate: junitExtension must be true, false or auto, not \"" + junitExtension + "\"");
        }
    }

    private byte[] readSnapshot() throws MojoExecutionException, MojoFailureException {
        if (!buildTimeSnapshot.isFile()) {
            throw new MojoFailureException("Tollgate: the build-time snapshot "
                    + Maven.relative(project, buildTimeSnapshot.toPath()) + " does not exist");
        }
        try {
            return Files.readAllBytes(buildTimeSnapshot.toPath());
        } catch (IOException e) {
            throw new MojoExecutionException(
                    "Tollgate: cannot read the build-time snapshot " + buildTimeSnapshot + ": " + e.getMessage(), e);
        }
    }

    private void report(GenerationResult result) throws MojoFailureException {
        List<String> errors = new ArrayList<>();
        for (Diagnostic diagnostic : result.diagnostics()) {
            if (diagnostic.isError()) {
                getLog().error(diagnostic.toString());
                errors.add(diagnostic.toString());
            } else {
                getLog().warn(diagnostic.toString());
            }
        }
        if (!errors.isEmpty()) {
            throw new MojoFailureException("Tollgate: the schema has " + Maven.count(errors.size(), "error") + ":\n"
                    + String.join("\n", errors));
        }
    }

    private void embedSnapshot(GenerationResult result, byte[] snapshot, String resource)
            throws MojoFailureException, IOException {
        SnapshotValidator.ValidationResult validation =
                SnapshotValidator.validate(result.schema().orElseThrow(), snapshot);
        String name = Maven.relative(project, buildTimeSnapshot.toPath());
        Maven.failOnProblems(getLog(), name, validation);
        stageSnapshot(snapshot, resource);
        getLog().info("Tollgate: embedded snapshot " + name + " (revision " + validation.revision() + ") as "
                + resource);
    }

    /**
     * Copies the snapshot to where it is packaged from, unless it is there already: the staged copy is not among the
     * outputs the fingerprint checks, and {@code resourceOutputDirectory} not among its inputs. Returns whether it
     * was written.
     */
    private boolean stageSnapshot(byte[] snapshot, String resource) throws IOException {
        Path target = resourceOutputDirectory.toPath().resolve(resource);
        if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), snapshot)) {
            return false;
        }
        Files.createDirectories(target.getParent());
        Files.write(target, snapshot);
        return true;
    }

    private void addResourceDirectory() {
        String directory = resourceOutputDirectory.getAbsolutePath();
        for (Resource existing : project.getResources()) {
            if (directory.equals(existing.getDirectory())) {
                return;
            }
        }
        Resource resource = new Resource();
        resource.setDirectory(directory);
        project.addResource(resource);
    }
}
