package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the error table of {@code docs/server.md} and the errors the server sends the same: every {@code new
 * ApiException(status, "code", ...)} in the server's sources is on the table's row for that status, and every code the
 * table lists is sent.
 */
class ErrorTableTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/tollgate/server");
    private static final Path SERVER_MD = Path.of("../docs/server.md");
    private static final Pattern THROWN = Pattern.compile("ApiException\\(\\s*(\\d{3}),\\s*\"([a-z_]+)\"");
    private static final Pattern ROW = Pattern.compile("^\\| (\\d{3}) \\| (.*?) \\| .*\\|$");
    private static final Pattern CODE = Pattern.compile("`([a-z_]+)`");

    @Test
    void everyErrorCodeTheServerSends_isOnItsStatusRowOfTheErrorTable_andNoOtherIs() throws IOException {
        Map<String, Set<String>> sent = new TreeMap<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        for (Path source : sources) {
            Matcher m = THROWN.matcher(Files.readString(source));
            while (m.find()) {
                sent.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        Map<String, Set<String>> documented = new TreeMap<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(SERVER_MD)) {
            if (line.equals("| status | codes | when |")) {
                inTable = true;
            } else if (inTable && line.isBlank()) {
                break;
            } else if (inTable) {
                Matcher row = ROW.matcher(line);
                if (row.matches()) {
                    // The codes, without what the error body adds "(with `problems`)".
                    Matcher code = CODE.matcher(row.group(2).replaceAll("\\([^)]*\\)", ""));
                    while (code.find()) {
                        documented
                                .computeIfAbsent(row.group(1), k -> new TreeSet<>())
                                .add(code.group(1));
                    }
                }
            }
        }

        assertThat(sent).as("what the sources send").containsKeys("400", "403", "415", "503");
        assertThat(sent.get("503")).containsExactly("no_signing_key", "too_many_streams", "unavailable");
        assertThat(documented).as("docs/server.md's error table").isEqualTo(sent);
    }
}
