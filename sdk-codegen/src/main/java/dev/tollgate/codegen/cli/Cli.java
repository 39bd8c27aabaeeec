package dev.tollgate.codegen.cli;

import dev.tollgate.Schema;
import dev.tollgate.SchemaException;
import dev.tollgate.SchemaProblem;
import dev.tollgate.SnapshotProblem;
import dev.tollgate.codegen.CodeGenerator;
import dev.tollgate.codegen.Diagnostic;
import dev.tollgate.codegen.GenerationRequest;
import dev.tollgate.codegen.GenerationResult;
import dev.tollgate.codegen.SchemaSource;
import dev.tollgate.codegen.SchemaSources;
import dev.tollgate.codegen.SnapshotValidator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line: {@code generate} and {@code validate} over the same facade as the Maven plugin. Results go to
 * standard output, errors to standard error, and the exit status says what happened: {@value #OK} success, {@value
 * #INVALID} the schema or a snapshot is invalid, {@value #USAGE} the command line is wrong, {@value #FAILURE} a file
 * could not be read or written, or something unexpected failed.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int INVALID = 1;
    public static final int USAGE = 2;
    public static final int FAILURE = 3;

    static final String NAME = "tollgate-codegen";

    private static final String USAGE_TEXT =
            """
            Usage: %1$s <command> [options]

            Generates typed Java from a Tollgate schema and validates snapshots against it.

            Commands:
              generate   Generate the Java sources for a schema
              validate   Check snapshot files against a schema
              help       Show this help, or a command's: %1$s help generate

            Options for every command:
              -h, --help      Show help
                  --version   Show the version

            Exit status: 0 success, 1 invalid schema or snapshot, 2 wrong command line, 3 I/O or other failure.
            """;

    private static final String GENERATE_USAGE =
            """
            Usage: %1$s generate --package <name> [options]

            Generates node classes, input classes, enums and an entry point from the schema, and optionally a typed
            test kit. Files that are already up to date are not rewritten.

            Options:
              -s, --schema <path>             A schema file, or a directory searched for *.graphql and *.graphqls;
                                              repeatable, read as one document (default: src/main/tollgate)
              -p, --package <name>            The Java package of the generated classes (required)
              -o, --output <dir>              Where the main sources go
                                              (default: target/generated-sources/tollgate)
                  --test-kit-output <dir>     Where the test kit goes; no test kit unless set
                  --no-junit-extension        Generate the test kit without its JUnit 5 extension
                  --entry-class <name>        The entry point class (default: Tollgate)
                  --test-kit-class <name>     The test kit class (default: the entry class + TestKit)
                  --extension-class <name>    The JUnit extension class (default: the entry class + Extension)
                  --type-name <schema>=<java> The Java class name of a schema type; repeatable
                  --build-time-snapshot-resource <name>
                                              A classpath resource the entry point loads when it is created
              -q, --quiet                     Print nothing but errors
            """;

    private static final String VALIDATE_USAGE =
            """
            Usage: %1$s validate [--schema <path>]... <snapshot>...

            Validates snapshot files against the schema exactly as a client does before installing them, and lists
            every problem with its flag path.

            Options:
              -s, --schema <path>   A schema file, or a directory searched for *.graphql and *.graphqls;
                                    repeatable, read as one document (default: src/main/tollgate)
              -q, --quiet           Print nothing but errors
            """;

    private final Path workingDirectory;
    private final PrintStream out;
    private final PrintStream err;

    public Cli(Path workingDirectory, PrintStream out, PrintStream err) {
        this.workingDirectory = workingDirectory;
        this.out = out;
        this.err = err;
    }

    /** Runs one command; returns the exit status. Never throws for bad input. */
    public int run(String... args) {
        if (args.length == 0) {
            err.print(USAGE_TEXT.formatted(NAME));
            return USAGE;
        }
        List<String> rest = List.of(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "generate":
                    return generate(Arguments.parse(rest, GenerateOption.values()));
                case "validate":
                    return validate(Arguments.parse(rest, ValidateOption.values()));
                case "help":
                case "-h":
                case "--help":
                    return help(rest);
                case "--version":
                    out.println(NAME + " " + version());
                    return OK;
                default:
                    err.println(NAME + ": unknown command '" + args[0] + "'; the commands are generate and validate");
                    err.println("Run '" + NAME + " --help' for usage.");
                    return USAGE;
            }
        } catch (UsageException e) {
            err.println(NAME + " " + args[0] + ": " + e.getMessage());
            err.println("Run '" + NAME + " help " + args[0] + "' for usage.");
            return USAGE;
        } catch (NoSuchFileException e) {
            err.println(NAME + ": no such file or directory: " + e.getFile());
            return FAILURE;
        } catch (IOException e) {
            // A file that is not UTF-8 has a message naming it; other I/O failures are best told by their type.
            err.println(NAME + ": " + (e.getCause() instanceof CharacterCodingException ? e.getMessage() : e));
            return FAILURE;
        } catch (RuntimeException e) {
            err.println(NAME + ": unexpected failure; please report it with this trace:");
            e.printStackTrace(err);
            return FAILURE;
        }
    }

    private int help(List<String> topics) {
        String topic = topics.isEmpty() ? "" : topics.get(0);
        switch (topic) {
            case "generate" -> out.print(GENERATE_USAGE.formatted(NAME));
            case "validate" -> out.print(VALIDATE_USAGE.formatted(NAME));
            default -> out.print(USAGE_TEXT.formatted(NAME));
        }
        return OK;
    }

    private int generate(Arguments arguments) throws IOException, UsageException {
        if (arguments.has(GenerateOption.HELP)) {
            out.print(GENERATE_USAGE.formatted(NAME));
            return OK;
        }
        if (!arguments.positional().isEmpty()) {
            throw new UsageException(
                    "unexpected argument '" + arguments.positional().get(0) + "'");
        }
        String packageName = arguments.value(GenerateOption.PACKAGE);
        if (packageName == null) {
            throw new UsageException("--package is required, for example --package com.acme.flags");
        }
        GenerationRequest.Builder request = GenerationRequest.builder()
                .schemas(schemas(arguments.values(GenerateOption.SCHEMA)))
                .packageName(packageName)
                .outputDirectory(path(arguments.value(GenerateOption.OUTPUT, "target/generated-sources/tollgate")))
                .junitExtension(!arguments.has(GenerateOption.NO_JUNIT_EXTENSION))
                .buildTimeSnapshotResource(arguments.value(GenerateOption.BUILD_TIME_SNAPSHOT_RESOURCE));
        String testKit = arguments.value(GenerateOption.TEST_KIT_OUTPUT);
        request.testKitOutputDirectory(testKit == null ? null : path(testKit));
        if (arguments.value(GenerateOption.ENTRY_CLASS) != null) {
            request.entryClassName(arguments.value(GenerateOption.ENTRY_CLASS));
        }
        request.testKitClassName(arguments.value(GenerateOption.TEST_KIT_CLASS));
        request.extensionClassName(arguments.value(GenerateOption.EXTENSION_CLASS));
        for (String mapping : arguments.values(GenerateOption.TYPE_NAME)) {
            int equals = mapping.indexOf('=');
            if (equals <= 0 || equals == mapping.length() - 1) {
                throw new UsageException("--type-name takes <schema type>=<Java class>, not '" + mapping + "'");
            }
            request.typeName(mapping.substring(0, equals), mapping.substring(equals + 1));
        }
        GenerationRequest built;
        try {
            built = request.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        GenerationResult result = CodeGenerator.generate(built);
        for (Diagnostic diagnostic : result.diagnostics()) {
            err.println((diagnostic.isError() ? "error: " : "warning: ") + diagnostic);
        }
        if (!result.successful()) {
            err.println(NAME + ": the schema has " + count(result.errors().size(), "error") + "; nothing generated");
            return INVALID;
        }
        GenerationResult.WriteSummary summary = result.write();
        if (!arguments.has(GenerateOption.QUIET)) {
            out.println("Generated " + count(result.files().size(), "file") + " into " + built.outputDirectory()
                    + (built.generatesTestKit() ? " and " + built.testKitOutputDirectory() : "") + " ("
                    + summary.written().size() + " written, "
                    + summary.unchanged().size() + " unchanged, "
                    + summary.deleted().size() + " deleted)");
        }
        return OK;
    }

    private int validate(Arguments arguments) throws IOException, UsageException {
        if (arguments.has(ValidateOption.HELP)) {
            out.print(VALIDATE_USAGE.formatted(NAME));
            return OK;
        }
        if (arguments.positional().isEmpty()) {
            throw new UsageException("name at least one snapshot file to validate");
        }
        Schema schema;
        try {
            schema = SchemaSources.of(schemas(arguments.values(ValidateOption.SCHEMA)))
                    .parse();
        } catch (SchemaException e) {
            for (SchemaProblem problem : e.problems()) {
                err.println("error: " + problem);
            }
            err.println(NAME + ": the schema has " + count(e.problems().size(), "error"));
            return INVALID;
        }
        int invalid = 0;
        for (String name : arguments.positional()) {
            byte[] snapshot = Files.readAllBytes(path(name));
            SnapshotValidator.ValidationResult result = SnapshotValidator.validate(schema, snapshot);
            for (String warning : result.warnings()) {
                err.println("warning: " + name + ": " + warning);
            }
            if (result.valid()) {
                if (!arguments.has(ValidateOption.QUIET)) {
                    out.println(name + ": valid (revision " + result.revision() + ")");
                }
            } else {
                invalid++;
                for (SnapshotProblem problem : result.problems()) {
                    err.println("error: " + name + ": " + problem);
                }
                err.println(name + ": invalid (" + count(result.problems().size(), "problem") + ")");
            }
        }
        return invalid == 0 ? OK : INVALID;
    }

    private List<SchemaSource> schemas(List<String> given) throws IOException, UsageException {
        List<Path> paths = new ArrayList<>();
        for (String schema : given.isEmpty() ? List.of("src/main/tollgate") : given) {
            paths.add(path(schema));
        }
        List<SchemaSource> sources = SchemaSources.read(paths, workingDirectory);
        if (sources.isEmpty()) {
            throw new UsageException("no *.graphql or *.graphqls file in " + String.join(", ", given));
        }
        return sources;
    }

    private Path path(String name) {
        return workingDirectory.resolve(name).normalize();
    }

    private static String count(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private static String version() {
        String version = Cli.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    /** The options of {@code generate}. */
    enum GenerateOption implements Arguments.Option {
        SCHEMA("-s", "--schema", true),
        PACKAGE("-p", "--package", true),
        OUTPUT("-o", "--output", true),
        TEST_KIT_OUTPUT(null, "--test-kit-output", true),
        NO_JUNIT_EXTENSION(null, "--no-junit-extension", false),
        ENTRY_CLASS(null, "--entry-class", true),
        TEST_KIT_CLASS(null, "--test-kit-class", true),
        EXTENSION_CLASS(null, "--extension-class", true),
        TYPE_NAME(null, "--type-name", true),
        BUILD_TIME_SNAPSHOT_RESOURCE(null, "--build-time-snapshot-resource", true),
        QUIET("-q", "--quiet", false),
        HELP("-h", "--help", false);

        private final String shortName;
        private final String longName;
        private final boolean takesValue;

        GenerateOption(String shortName, String longName, boolean takesValue) {
            this.shortName = shortName;
            this.longName = longName;
            this.takesValue = takesValue;
        }

        @Override
        public String shortName() {
            return shortName;
        }

        @Override
        public String longName() {
            return longName;
        }

        @Override
        public boolean takesValue() {
            return takesValue;
        }
    }

    /** The options of {@code validate}. */
    enum ValidateOption implements Arguments.Option {
        SCHEMA("-s", "--schema", true),
        QUIET("-q", "--quiet", false),
        HELP("-h", "--help", false);

        private final String shortName;
        private final String longName;
        private final boolean takesValue;

        ValidateOption(String shortName, String longName, boolean takesValue) {
            this.shortName = shortName;
            this.longName = longName;
            this.takesValue = takesValue;
        }

        @Override
        public String shortName() {
            return shortName;
        }

        @Override
        public String longName() {
            return longName;
        }

        @Override
        public boolean takesValue() {
            return takesValue;
        }
    }
}
