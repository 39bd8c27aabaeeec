package dev.tollgate.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
        Path snapshot = Files.writeString(directory.resolve("snapshot.json"), Fixtures.snapshot(7));

        List<String> output = run(schema, snapshot);

        assertThat(output).contains("maxTeamSize=7");
        assertThat(loaded(output, "dev.tollgate.TollgateClient")).isTrue(); // the log below is the one looked at
        // A record's equals, hashCode and toString are linked through this bootstrap on first use: 20 ms and more.
        assertThat(loaded(output, "java.lang.runtime.ObjectMethods")).isFalse();
        // Jackson's data binding (some 300 classes), OkHttp and Kotlin: a file source needs none of them.
        assertThat(loaded(output, "com.fasterxml.jackson.databind.ObjectMapper"))
                .isFalse();
        assertThat(output).noneMatch(line -> line.contains(" okhttp3.") || line.contains(" kotlin."));
    }

    private static boolean loaded(List<String> output, String className) {
        return output.stream().anyMatch(line -> line.contains(" " + className + " source:"));
    }

    private static List<String> run(Path schema, Path snapshot) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-Xlog:class+load=info:stdout",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ColdStartMain.class.getName(),
                        schema.toString(),
                        snapshot.toString())
                .redirectErrorStream(true)
                .start();
        byte[] bytes = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text.lines().toList();
    }
}
