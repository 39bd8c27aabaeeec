package dev.tollgate.codegen.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    private static final String SCHEMA = "input Context { id: String! }\ntype Root { maxTeamSize: Int! }\n";

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Cli cli;

    @BeforeEach
    void setUp() throws IOException {
        cli = new Cli(
                directory,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Files.createDirectories(directory.resolve("src/main/tollgate"));
        Files.writeString(directory.resolve("src/main/tollgate/schema.graphql"), SCHEMA);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String hash() {
        return dev.tollgate.internal.schema.SchemaParser.parse(SCHEMA, "s").hash();
    }

    @Test
    void noArguments_printsUsageToStandardError() {
        assertThat(cli.run()).isEqualTo(Cli.USAGE);
        assertThat(err()).startsWith("Usage: tollgate-codegen <command> [options]");
        assertThat(out()).isEmpty();
    }

    @Test
    void help_printsUsageToStandardOutput() {
        assertThat(cli.run("--help")).isEqualTo(Cli.OK);
        assertThat(out()).contains("generate", "validate", "Exit status");

        out.reset();
        assertThat(cli.run("help", "generate")).isEqualTo(Cli.OK);
        assertThat(out()).startsWith("Usage: tollgate-codegen generate --package <name>");

        out.reset();
        assertThat(cli.run("validate", "-h")).isEqualTo(Cli.OK);
        assertThat(out()).startsWith("Usage: tollgate-codegen validate");
    }

    @Test
    void generate_aSchemaThatIsNotUtf8_failsNamingTheFile() throws IOException {
        Files.write(
                directory.resolve("src/main/tollgate/schema.graphql"),
                ("# \u00e9\n" + SCHEMA).getBytes(StandardCharsets.ISO_8859_1));

        assertThat(cli.run("generate", "--package", "com.acme.flags")).isEqualTo(Cli.FAILURE);
        assertThat(err())
                .isEqualTo("tollgate-codegen: src/main/tollgate/schema.graphql: not valid UTF-8 at byte offset 2"
                        + " (line 1); save it as UTF-8" + System.lineSeparator());
    }

    @Test
    void generate_withDefaults_writesUnderTarget() {
        int status = cli.run("generate", "--package", "com.acme.flags");

        assertThat(err()).isEmpty();
        assertThat(status).isEqualTo(Cli.OK);
        assertThat(out())
                .startsWith("Generated 3 files into " + directory.resolve("target/generated-sources/tollgate"));
        assertThat(directory.resolve("target/generated-sources/tollgate/com/acme/flags/Root.java"))
                .isRegularFile();
    }

    @Test
    void generate_withEveryOption() {
        int status = cli.run(
                "generate",
                "-s",
                "src/main/tollgate/schema.graphql",
                "-p",
                "com.acme.other",
                "--package=com.acme.flags",
                "-o",
                "gen/main",
                "--test-kit-output=gen/test",
                "--no-junit-extension",
                "--entry-class",
                "Flags",
                "--test-kit-class",
                "FlagsKit",
                "--type-name",
                "Root=FlagRoot",
                "--build-time-snapshot-resource",
                "com/acme/flags/snapshot.json",
                "--quiet");

        assertThat(err()).isEmpty();
        assertThat(status).isEqualTo(Cli.OK);
        assertThat(out()).isEmpty();
        assertThat(directory.resolve("gen/main/com/acme/flags/Flags.java")).isRegularFile();
        assertThat(directory.resolve("gen/main/com/acme/flags/FlagRoot.java")).isRegularFile();
        assertThat(directory.resolve("gen/test/com/acme/flags/FlagsKit.java")).isRegularFile();
        assertThat(directory.resolve("gen/test/com/acme/flags/FlagsExtension.java"))
                .doesNotExist();
    }

    @Test
    void generate_schemaErrors_exitWith1AndListEachOnStandardError() throws IOException {
        Files.writeString(directory.resolve("bad.graphql"), "input Context { id: Strin! }\ntype Root { a: Intt }\n");

        int status = cli.run("generate", "--schema", "bad.graphql", "--package", "p");

        assertThat(status).isEqualTo(Cli.INVALID);
        assertThat(err())
                .contains("error: bad.graphql:1:17: Context.id has unknown type Strin")
                .contains("error: bad.graphql:2:13: Root.a has unknown type Intt")
                .contains("tollgate-codegen: the schema has 2 errors; nothing generated");
        assertThat(out()).isEmpty();
    }

    @Test
    void generate_usageErrors_exitWith2() {
        assertThat(cli.run("generate")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("tollgate-codegen generate: --package is required");

        err.reset();
        assertThat(cli.run("generate", "--package", "1abc")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("packageName \"1abc\" is not a Java package name");

        err.reset();
        assertThat(cli.run("generate", "--pakage", "p")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("unknown option --pakage");

        err.reset();
        assertThat(cli.run("generate", "--package")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("--package needs a value");

        err.reset();
        assertThat(cli.run("generate", "--package", "p", "--type-name", "Root")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("--type-name takes <schema type>=<Java class>, not 'Root'");

        err.reset();
        assertThat(cli.run("generate", "--quiet=yes", "--package", "p")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("--quiet takes no value");

        err.reset();
        assertThat(cli.run("deploy")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("unknown command 'deploy'");
    }

    @Test
    void generate_missingSchema_exitsWith3() {
        assertThat(cli.run("generate", "--schema", "nope.graphql", "--package", "p"))
                .isEqualTo(Cli.FAILURE);
        assertThat(err()).contains("no such file or directory: " + directory.resolve("nope.graphql"));
    }

    @Test
    void validate_validAndInvalidSnapshots() throws IOException {
        Files.writeString(
                directory.resolve("good.json"),
                "{\"format\": 1, \"revision\": 2, \"schemaHash\": \"" + hash()
                        + "\", \"fields\": {\"maxTeamSize\": {\"default\": 3}}}");
        Files.writeString(
                directory.resolve("bad.json"),
                "{\"format\": 1, \"revision\": 2, \"schemaHash\": \"" + hash()
                        + "\", \"fields\": {\"maxTeamSize\": {\"default\": \"x\"}}}");

        assertThat(cli.run("validate", "good.json")).isEqualTo(Cli.OK);
        assertThat(out()).isEqualTo("good.json: valid (revision 2)" + System.lineSeparator());

        assertThat(cli.run("validate", "good.json", "bad.json")).isEqualTo(Cli.INVALID);
        assertThat(err())
                .contains("error: bad.json: maxTeamSize: default: value \"x\" is not an Int")
                .contains("bad.json: invalid (1 problem)");
    }

    @Test
    void validate_withoutSnapshots_isAUsageError() {
        assertThat(cli.run("validate")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("name at least one snapshot file to validate");
    }

    @Test
    void validate_invalidSchema_exitsWith1() throws IOException {
        Files.writeString(directory.resolve("bad.graphql"), "type Root { a: Int }");
        Files.writeString(directory.resolve("s.json"), "{}");

        assertThat(cli.run("validate", "-s", "bad.graphql", "s.json")).isEqualTo(Cli.INVALID);
        assertThat(err()).contains("error: bad.graphql:1:1: the schema needs 'input Context'");
    }
}
