package dev.tollgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.ConditionSpec;
import dev.tollgate.testing.SnapshotBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a service's start from a snapshot file loads, in a fresh JVM (class loading is a cold start's largest cost):
 * none of the classes that would each add tens of milliseconds and that the start does not need.
 */
class ColdStartTest {
    @TempDir
    Path directory;

    @Test
    void startFromAFile_loadsNeitherDataBindingNorHttpNorTheRecordMethodBootstrap() throws Exception {
        Path schema = directory.resolve("seed.graphql");
        try (InputStream in = ColdStartTest.class.getResourceAsStream("/seed.graphql")) {
            Files.write(schema, in.readAllBytes());
        }
        Path snapshot = Files.writeString(directory.resolve("snapshot.json"), snapshot());

        Path classes = directory.resolve("classes.log");
        List<String> output = run(classes, schema, snapshot);
        List<String> log = Files.readAllLines(classes);

        assertThat(output).contains("maxTeamSize=41"); // with the SDK's own log lines (slf4j-simple, on stderr)
        assertThat(loaded(log, "dev.tollgate.TollgateClient")).containsExactly("dev.tollgate.TollgateClient");
        // A record's equals, hashCode and toString are linked through this bootstrap on first use: 20 ms and more.
        assertThat(loaded(log, "java.lang.runtime.ObjectMethods")).isEmpty();
        // Jackson's ObjectMapper and its data binding (some 300 classes), OkHttp and Kotlin: a file source needs none.
        assertThat(loaded(log, "com.fasterxml.jackson.databind.ObjectMapper")).isEmpty();
        assertThat(loaded(log, "okhttp3.")).isEmpty();
        assertThat(loaded(log, "kotlin.")).isEmpty();
    }

    /**
     * Revision 7 with the shapes a start compiles: override tables keyed by organization (one on a Boolean field), a
     * run of {@code eq} rules on the plan, a rule on a field argument and defaults.
     */
    private static String snapshot() {
        return SnapshotBuilder.forSchema(Fixtures.SCHEMA)
                .revision(7)
                .field(Fixtures.MAX_TEAM_SIZE, f -> {
                    for (int i = 0; i < 100; i++) {
                        f.override("context.organization.id", "org_" + i, 40 + i);
                    }
                    f.rule("enterprise", ConditionSpec.eq("context.organization.plan", "ENTERPRISE"), 1_000)
                            .rule("pro", ConditionSpec.eq("context.organization.plan", "PRO"), 20)
                            .defaultValue(5);
                })
                .field(Fixtures.TEAM_ROLES, f -> f.override("context.organization.id", "org_1", true)
                        .rule("pro", ConditionSpec.eq("context.organization.plan", "PRO"), false)
                        .defaultValue(false))
                .field(Fixtures.API_REQUESTS, f -> f.rule("search", ConditionSpec.eq("args.endpoint", "/search"), 10)
                        .defaultValue(1_000))
                .value(Fixtures.VERSION_HISTORY, true)
                .toJson();
    }

    /** The names of the classes the log shows loaded that are {@code prefix} or, for a package, start with it. */
    private static List<String> loaded(List<String> log, String prefix) {
        return log.stream()
                .filter(line -> line.contains("[class,load]"))
                .map(line -> line.substring(line.indexOf("] ", line.indexOf("[class,load]")) + 2))
                .map(line -> line.substring(0, line.indexOf(' ')))
                .filter(name -> name.equals(prefix) || prefix.endsWith(".") && name.startsWith(prefix))
                .toList();
    }

    /** Runs {@link ColdStartMain} in a fresh JVM that logs the classes it loads to {@code classes}; its output. */
    private static List<String> run(Path classes, Path schema, Path snapshot) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path output = classes.resolveSibling("output.txt");
        ProcessBuilder builder = new ProcessBuilder(
                        java.toString(),
                        "-Xlog:class+load=info:file=" + classes,
                        "-cp",
                        System.getProperty("java.class.path"),
                        ColdStartMain.class.getName(),
                        schema.toString(),
                        snapshot.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the start did not end within 60 s: " + Files.readString(output));
        }
        List<String> lines = Files.readAllLines(output);
        assertThat(process.exitValue()).as("exit status; output: %s", lines).isZero();
        return lines;
    }
}
