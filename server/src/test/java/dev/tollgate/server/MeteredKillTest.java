package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.DynamicInput;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.runtime.Consumption;
import dev.tollgate.runtime.MeteredLimit;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An SDK process killed (SIGKILL) while it consumes a metered limit loses at most what {@code docs/metering.md} says:
 * the usage it granted in the last {@code usageInterval} plus a round trip, {@code r * (usageInterval + round trip)};
 * the server counts no grant twice; and a client started after the kill begins from the fleet's usage, not from 0.
 * Prints the figures.
 */
class MeteredKillTest {
    static final String ORGANIZATION = "org_killed";
    /** Grants per second the child makes at most: one call, then a 2 ms pause. */
    static final int RATE = 500;

    static final Duration USAGE_INTERVAL = Duration.ofMillis(200);
    /** A loopback round trip with a database write, generously: CI machines are busy. */
    static final Duration ROUND_TRIP = Duration.ofMillis(200);

    private static TollgateServer server;
    private static String sdkToken;

    @BeforeAll
    static void start() {
        server = TestServers.start(TestServers.Storage.H2);
        Api admin = TestServers.admin(server);
        assertThat(admin.put("/v1/admin/schema", MeteredFleetContract.SCHEMA, "If-Match", "\"0\"")
                        .status())
                .isEqualTo(200);
        Map<String, Object> logic = Map.of("fields", Map.of(MeteredFleetContract.FIELD, Map.of("default", 1_000_000)));
        assertThat(admin.put("/v1/admin/environments/production/logic", logic, "If-Match", "\"1\"")
                        .status())
                .isEqualTo(200);
        sdkToken = TestServers.sdkToken(admin, "killed");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static TollgateClient client(String url, String token) {
        return TollgateClient.builder(Schema.parse(MeteredFleetContract.SCHEMA, "schema.graphql"))
                .server(ServerOptions.builder(url, token)
                        .usagePollInterval(Duration.ofMillis(200))
                        .build())
                .logs(LogOptions.builder().usageInterval(USAGE_INTERVAL).build())
                .build();
    }

    static MeteredLimit search(TollgateClient client) {
        return MeteredLimit.of(
                ApiAccess.bind(
                        client,
                        DynamicInput.context(
                                client.schema(),
                                Map.of(
                                        "organization",
                                        Map.of("id", ORGANIZATION, "plan", "FREE"),
                                        "user",
                                        Map.of("id", "u")))),
                ApiAccess.model(client.schema()).fieldIndex(MeteredFleetContract.FIELD),
                new Object[] {"search"});
    }

    /**
     * The child process: consumes one search at a time, at most {@link #RATE} a second, and prints its running total
     * of grants after each one, until it is killed.
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        TollgateClient client = client(args[0], args[1]);
        if (!client.awaitReady(Duration.ofSeconds(10)).isReady()) {
            out.println("not ready");
            return;
        }
        long granted = 0;
        while (true) {
            if (search(client).tryConsume(1, 5).allowed()) {
                granted++;
                out.println(granted);
            }
            Thread.sleep(1000 / RATE);
        }
    }

    @Test
    void killedWhileConsuming_losesAtMostTheLastInterval_countsNothingTwice_andARestartStartsFromTheFleet()
            throws Exception {
        Process child = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        MeteredKillTest.class.getName(),
                        server.url(),
                        sdkToken))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long granted = 0;
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // Three seconds of consuming: many batches have gone, and the next is on its way or waiting.
            while (granted < 3 * RATE * 3 / 4 && System.nanoTime() < deadline) {
                String line = lines.readLine();
                assertThat(line).as("the child's output").isNotNull().isNotEqualTo("not ready");
                granted = Long.parseLong(line);
            }
            // SIGKILL from outside: Process.destroyForcibly would also close the pipe with the lines still in it.
            assertThat(new ProcessBuilder("kill", "-9", Long.toString(child.pid()))
                            .start()
                            .waitFor())
                    .isZero();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            // Whatever it printed before it died: the last line is its total of grants (one more may have been
            // granted and not printed).
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                granted = Long.parseLong(line);
            }
        } finally {
            child.destroyForcibly();
        }
        // Nothing more can be sent, but a batch sent just before the kill may land later, on a loaded machine much
        // later: the server's count once it has not moved for three usage intervals.
        long counted = Counts.settled(MeteredKillTest::serverUsed, 0, USAGE_INTERVAL.multipliedBy(3));
        long bound = Math.round(RATE * (USAGE_INTERVAL.toMillis() + ROUND_TRIP.toMillis()) / 1000.0);
        System.out.printf(
                "Metered kill: the child granted %d, the server counted %d, lost %d; the bound is %d"
                        + " (r * (usageInterval + round trip) = %d/s * %d ms)%n",
                granted, counted, granted - counted, bound, RATE, USAGE_INTERVAL.toMillis() + ROUND_TRIP.toMillis());

        assertThat(counted).as("nothing counted twice").isLessThanOrEqualTo(granted + 1);
        assertThat(granted - counted).as("lost").isLessThanOrEqualTo(bound);

        try (TollgateClient restarted = client(server.url(), sdkToken)) {
            assertThat(restarted.awaitReady(Duration.ofSeconds(10)).isReady()).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Consumption usage = search(restarted).usage(5);
            while (usage.used() != serverUsed() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                usage = search(restarted).usage(5);
            }
            // Read again rather than taken as counted: a batch that landed even later is the fleet's usage too.
            long fleet = serverUsed();
            assertThat(usage.used()).as("a client started after the kill").isEqualTo(fleet);
            assertThat(fleet).as("nothing counted twice, at the end").isLessThanOrEqualTo(granted + 1);
        }
    }

    private static long serverUsed() {
        JsonNode rows =
                new Api(server.url(), sdkToken).get("/v1/usage?since=0").json().get("usage");
        for (JsonNode row : rows) {
            if (row.get("key").asText().equals(ORGANIZATION)) {
                return row.get("used").asLong();
            }
        }
        return 0;
    }
}
