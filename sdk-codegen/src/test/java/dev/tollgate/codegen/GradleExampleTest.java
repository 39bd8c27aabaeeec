package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.codegen.cli.Cli;
import dev.tollgate.codegen.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/gradle}: a Gradle build generating the accessors with the command-line generator from a {@code
 * JavaExec} task. Gradle is not on this project's machines, so this test does what that task does: it reads the
 * task's main class, artifact and arguments from {@code build.gradle.kts}, runs the generator with exactly those
 * arguments in a copy of the example, compiles the generated code with the example's own sources, and reads the
 * entitlements through them from the build-time snapshot.
 */
class GradleExampleTest {
    private static final Path EXAMPLE = Path.of("../examples/gradle");
    private static final Pattern ARGS = Pattern.compile(
            "// tollgate-generate-args: begin\\s*args\\((.*?)\\)\\s*// tollgate-generate-args: end", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"([^\"]*)\"");

    @TempDir
    Path project;

    private static String buildScript() {
        try {
            return Files.readString(EXAMPLE.resolve("build.gradle.kts"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void buildScript_runsThisGenerator_fromTheArtifactThisBuildAttaches() throws IOException {
        String script = buildScript();
        String pom = Files.readString(Path.of("pom.xml"));

        assertThat(script).contains("mainClass.set(\"" + Main.class.getName() + "\")");
        assertThat(pom).contains("<shadedClassifierName>cli</shadedClassifierName>");
        Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(pom);
        assertThat(version.find()).isTrue();
        assertThat(script)
                .contains("val tollgateVersion = \"" + version.group(1) + "\"")
                .contains("tollgateCodegen(\"dev.tollgate:tollgate-codegen:$tollgateVersion:cli\")")
                .contains("implementation(\"dev.tollgate:tollgate-sdk-core:$tollgateVersion\")");
    }

    @Test
    void theTasksArguments_generateCodeThatCompilesWithTheExample_andReadsTheBuildTimeSnapshot() throws Exception {
        copy(EXAMPLE.resolve("src"), project.resolve("src"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(
                project,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        int status = cli.run(generateArguments().toArray(String[]::new));

        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(status).isZero();
        Path generated = project.resolve("build/generated/sources/tollgate");
        assertThat(generated.resolve("main/java/com/example/teams/flags/Tollgate.java"))
                .isRegularFile();
        assertThat(generated.resolve("test/java/com/example/teams/flags/TollgateTestKit.java"))
                .isRegularFile();

        Path classes = project.resolve("build/classes");
        copy(project.resolve("src/main/resources"), classes);
        ClassLoader loader = InMemoryCompiler.compile(
                List.of(
                        generated.resolve("main/java"),
                        generated.resolve("test/java"),
                        project.resolve("src/main/java")),
                classes);
        Class<?> tollgateClass = loader.loadClass("com.example.teams.flags.Tollgate");
        Class<?> planClass = loader.loadClass("com.example.teams.flags.Plan");
        Method maxTeamSize = loader.loadClass("com.example.teams.App")
                .getMethod("maxTeamSize", tollgateClass, String.class, planClass);
        try (AutoCloseable tollgate =
                (AutoCloseable) tollgateClass.getMethod("create").invoke(null)) {
            assertThat(maxTeamSize.invoke(null, tollgate, "org_example", plan(planClass, "FREE")))
                    .isEqualTo(5);
            assertThat(maxTeamSize.invoke(null, tollgate, "org_example", plan(planClass, "PRO")))
                    .isEqualTo(20);
            assertThat(maxTeamSize.invoke(null, tollgate, "org_example", plan(planClass, "ENTERPRISE")))
                    .isEqualTo(1000);
            assertThat(maxTeamSize.invoke(null, tollgate, "org_initech", plan(planClass, "FREE")))
                    .isEqualTo(50);
        }
    }

    /** The generated test kit's JUnit extension compiles only against JUnit, which tollgate-testing does not bring. */
    @Test
    void buildScript_putsJUnitOnTheTestClassPath_whenItGeneratesTheJUnitExtension() {
        List<String> arguments = generateArguments();
        assertThat(arguments).contains("--test-kit-output").doesNotContain("--no-junit-extension");

        assertThat(buildScript())
                .contains("testImplementation(\"org.junit.jupiter:junit-jupiter\")")
                .contains("useJUnitPlatform()");
    }

    /** The string literals of the task's {@code args(...)}, in order. */
    private static List<String> generateArguments() {
        Matcher block = ARGS.matcher(buildScript());
        assertThat(block.find())
                .as("the args(...) block between the tollgate-generate-args markers")
                .isTrue();
        List<String> arguments = new ArrayList<>();
        Matcher literal = STRING.matcher(block.group(1));
        while (literal.find()) {
            arguments.add(literal.group(1));
        }
        assertThat(arguments).startsWith("generate");
        return arguments;
    }

    private static Object plan(Class<?> planClass, String name) {
        for (Object constant : planClass.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(name)) {
                return constant;
            }
        }
        throw new AssertionError("no plan " + name);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target);
                }
            }
        }
    }
}
