package dev.tollgate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.DynamicInput;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.LoadResult;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.TollgateClient;
import dev.tollgate.logs.RecordingSink;
import dev.tollgate.spi.LogSink;
import dev.tollgate.testing.SnapshotBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TypedClient} and {@link TypedClientBuilder} through a subclass shaped like a generated entry point. */
class TypedClientTest {
    static final Schema SEED = seedSchema();
    static final String MAX_TEAM_SIZE = "entitlements.maxTeamSize";

    /** What the generator writes for the seed schema, minus the typed roots. */
    static final class SeedFlags extends TypedClient {
        private SeedFlags(TollgateClient client) {
            super(client, SEED);
        }

        static Builder builder() {
            return new Builder();
        }

        static SeedFlags wrap(TollgateClient client) {
            return new SeedFlags(client);
        }

        int maxTeamSize(String organization, int fallback) {
            return client().root(context(organization)).intValue(MAX_TEAM_SIZE, fallback);
        }

        static final class Builder extends TypedClientBuilder<Builder> {
            private Builder() {
                super(SEED);
            }

            SeedFlags build() {
                return new SeedFlags(clientBuilder().build());
            }
        }
    }

    @Test
    void wrap_aClientForAnotherSchema_isRejectedNamingBothHashes() {
        Schema other = Schema.parse("input Context { id: String! }\ntype Root { seats: Int! }\n", "other.graphql");
        try (TollgateClient client =
                TollgateClient.builder(other).logs(LogOptions.disabled()).build()) {
            assertThatThrownBy(() -> SeedFlags.wrap(client))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the client's schema " + other.hash()
                            + " is not the schema this code was generated from, " + SEED.hash());
        }
    }

    /**
     * Regression: the hash ignores declaration order, so a client for the same fields declared in another order was
     * accepted, and the typed accessors read its fields by the wrong indices.
     */
    @Test
    void aClientForTheSameSchemaInAnotherOrder_isRejected() {
        String generated = "input Context { plan: String!  region: String! }\n"
                + "type Root { a: Int!  b: Int!  f(x: String!, y: String!): Int!  pro: Boolean! }\n";
        Schema schema = Schema.parse(generated, "generated.graphql");
        for (String reordered : List.of(
                "input Context { plan: String!  region: String! }\n"
                        + "type Root { b: Int!  a: Int!  f(x: String!, y: String!): Int!  pro: Boolean! }\n",
                "input Context { plan: String!  region: String! }\n"
                        + "type Root { a: Int!  b: Int!  f(y: String!, x: String!): Int!  pro: Boolean! }\n",
                "input Context { region: String!  plan: String! }\n"
                        + "type Root { a: Int!  b: Int!  f(x: String!, y: String!): Int!  pro: Boolean! }\n")) {
            Schema other = Schema.parse(reordered, "reordered.graphql");
            assertThat(other.hash()).as("the same schema, for snapshots").isEqualTo(schema.hash());
            try (TollgateClient client =
                    TollgateClient.builder(other).logs(LogOptions.disabled()).build()) {
                assertThatThrownBy(() -> new TypedClient(client, schema) {})
                        .as(reordered)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("the client's schema has the same hash as the generated code's, " + schema.hash()
                                + ", but declares its fields, arguments or input fields in another order, so the"
                                + " typed accessors would read the wrong ones; build the client for the generated"
                                + " schema (its schema() method)");
            }
        }
        try (TollgateClient same = TollgateClient.builder(Schema.parse(generated, "again.graphql"))
                .logs(LogOptions.disabled())
                .build()) {
            assertThat(new TypedClient(same, schema) {}.client()).isSameAs(same);
        }
    }

    @Test
    void wrap_null_throwsNamingTheClient() {
        assertThatThrownBy(() -> SeedFlags.wrap(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("client");
    }

    @Test
    void wrap_aClientForTheSchema_readsWhatTheClientHas() {
        try (TollgateClient client =
                TollgateClient.builder(SEED).logs(LogOptions.disabled()).build()) {
            snapshot(4, 12).installInto(client);

            SeedFlags flags = SeedFlags.wrap(client);

            assertThat(flags.client()).isSameAs(client);
            assertThat(flags.revision()).isEqualTo(4);
            assertThat(flags.isReady()).isTrue();
            assertThat(flags.maxTeamSize("org_1", -1)).isEqualTo(12);
        }
    }

    @Test
    void loadSnapshot_fromEverySource_installsItAndReportsTheRevision(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("snapshot.json");
        Files.writeString(file, snapshot(4, 40).toJson(), StandardCharsets.UTF_8);
        try (SeedFlags flags = SeedFlags.builder().logs(LogOptions.disabled()).build()) {
            assertThat(flags.revision()).isZero();
            assertThat(flags.isReady()).isFalse();
            assertThat(flags.maxTeamSize("org_1", -1)).isEqualTo(-1);

            LoadResult fromText = flags.loadSnapshot(snapshot(1, 10).toJson());
            assertThat(fromText.status()).isEqualTo(LoadResult.Status.INSTALLED);
            assertThat(fromText.revision()).isEqualTo(1);
            assertThat(fromText.previousRevision()).isZero();
            assertThat(flags.isReady()).isTrue();
            assertThat(flags.maxTeamSize("org_1", -1)).isEqualTo(10);

            LoadResult fromBytes = flags.loadSnapshot(bytes(snapshot(2, 20)));
            assertThat(fromBytes.status()).isEqualTo(LoadResult.Status.INSTALLED);
            assertThat(fromBytes.previousRevision()).isEqualTo(1);
            assertThat(flags.maxTeamSize("org_1", -1)).isEqualTo(20);

            InputStream in = new ByteArrayInputStream(bytes(snapshot(3, 30)));
            assertThat(flags.loadSnapshot(in).revision()).isEqualTo(3);
            assertThat(flags.maxTeamSize("org_1", -1)).isEqualTo(30);

            assertThat(flags.loadSnapshot(file).revision()).isEqualTo(4);
            assertThat(flags.maxTeamSize("org_1", -1)).isEqualTo(40);
            assertThat(flags.revision()).isEqualTo(4);
        }
    }

    @Test
    void loadSnapshotResource_installsTheResource_unlessTheRevisionIsOlder() {
        try (SeedFlags flags = SeedFlags.builder().logs(LogOptions.disabled()).build()) {
            LoadResult first = flags.loadSnapshotResource("tollgate/embedded-snapshot.json");

            assertThat(first.status()).isEqualTo(LoadResult.Status.INSTALLED);
            assertThat(first.revision()).isEqualTo(2);
            assertThat(flags.maxTeamSize("org_1", -1)).isEqualTo(2);
            assertThat(flags.loadSnapshotResource("tollgate/embedded-snapshot.json")
                            .status())
                    .isEqualTo(LoadResult.Status.UNCHANGED);

            flags.loadSnapshot(snapshot(5, 50).toJson());
            assertThat(flags.loadSnapshotResource("tollgate/embedded-snapshot.json")
                            .status())
                    .isEqualTo(LoadResult.Status.OLDER_IGNORED);
            assertThat(flags.revision()).isEqualTo(5);
            assertThatThrownBy(() -> flags.loadSnapshotResource("tollgate/missing.json"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("tollgate/missing.json");
        }
    }

    @Test
    void loadSnapshot_invalid_throwsAndKeepsTheInstalledOne() {
        try (SeedFlags flags = SeedFlags.builder().logs(LogOptions.disabled()).build()) {
            flags.loadSnapshot(snapshot(1, 10).toJson());
            String invalid = SnapshotBuilder.forSchema(SEED)
                    .revision(2)
                    .value(MAX_TEAM_SIZE, "ten")
                    .toJson();

            assertThatThrownBy(() -> flags.loadSnapshot(invalid))
                    .isInstanceOf(InvalidSnapshotException.class)
                    .hasMessageContaining(MAX_TEAM_SIZE);
            assertThat(flags.revision()).isEqualTo(1);
            assertThat(flags.maxTeamSize("org_1", -1)).isEqualTo(10);
        }
    }

    @Test
    void toString_namesTheSubclassAndTheInstalledRevision() {
        try (SeedFlags flags = SeedFlags.builder().logs(LogOptions.disabled()).build()) {
            assertThat(flags).hasToString("SeedFlags[revision=0]");

            flags.loadSnapshot(snapshot(7, 1).toJson());

            assertThat(flags).hasToString("SeedFlags[revision=7]");
        }
    }

    @Test
    void flushLogs_sendsTheEvaluationsSoFar() throws Exception {
        RecordingSink sink = new RecordingSink();
        try (SeedFlags flags = SeedFlags.builder().logs(logsTo(sink)).build()) {
            flags.loadSnapshot(snapshot(3, 9).toJson());
            flags.maxTeamSize("org_1", -1);
            flags.maxTeamSize("org_2", -1);

            flags.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(sink.count(MAX_TEAM_SIZE, "default")).isEqualTo(2);
            assertThat(sink.batches).hasSize(1);
            assertThat(sink.batches.get(0).revision()).isEqualTo(3);
            assertThat(sink.closed).isFalse();
        }
    }

    @Test
    void close_flushesTheLogsAndClosesTheClient_readsKeepWorking() {
        RecordingSink sink = new RecordingSink();
        SeedFlags flags = SeedFlags.builder().logs(logsTo(sink)).build();
        flags.loadSnapshot(snapshot(3, 9).toJson());
        flags.maxTeamSize("org_1", -1);

        flags.close();

        assertThat(sink.count(MAX_TEAM_SIZE, "default")).isEqualTo(1);
        assertThat(sink.closed).isTrue();
        assertThat(flags.client().isClosed()).isTrue();
        assertThat(flags.maxTeamSize("org_1", -1)).isEqualTo(9);
        flags.close();
        assertThat(sink.batches).hasSize(1);
    }

    @Test
    void flushLogs_withLoggingOff_isAlreadyComplete() {
        try (SeedFlags flags = SeedFlags.builder().logs(LogOptions.disabled()).build()) {
            CompletableFuture<Void> flushed = flags.flushLogs();

            assertThat(flushed).isCompleted();
        }
    }

    @Test
    void builderOptions_reachTheClient_andChain() {
        SnapshotLimits limits = SnapshotLimits.builder().maxBytes(4096).build();
        AtomicInteger configured = new AtomicInteger();
        SeedFlags.Builder builder = SeedFlags.builder();

        assertThat(builder.limits(limits)).isSameAs(builder);
        assertThat(builder.logs(LogOptions.disabled())).isSameAs(builder);
        assertThat(builder.configureClient(client -> {
                    configured.incrementAndGet();
                    client.embeddedSnapshot("tollgate/embedded-snapshot.json");
                }))
                .isSameAs(builder);
        assertThat(configured).hasValue(1);

        try (SeedFlags flags = builder.build()) {
            assertThat(configured).hasValue(1);
            assertThat(flags.client().limits()).isSameAs(limits);
            assertThat(flags.revision()).isEqualTo(2);
            assertThat(flags.maxTeamSize("org_1", -1)).isEqualTo(2);
            assertThat(flags.flushLogs()).isCompleted();
        }
    }

    @Test
    void builderOptions_rejectNull() {
        SeedFlags.Builder builder = SeedFlags.builder();

        assertThatThrownBy(() -> builder.configureClient(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("configuration");
        assertThatThrownBy(() -> builder.limits(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("limits");
        assertThatThrownBy(() -> builder.logs(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("logs");
    }

    static SnapshotBuilder snapshot(long revision, int maxTeamSize) {
        return SnapshotBuilder.forSchema(SEED).revision(revision).value(MAX_TEAM_SIZE, maxTeamSize);
    }

    static DynamicInput context(String organization) {
        return DynamicInput.context(
                SEED, Map.of("organization", Map.of("id", organization, "plan", "PRO"), "user", Map.of("id", "u1")));
    }

    private static byte[] bytes(SnapshotBuilder snapshot) {
        return snapshot.toJson().getBytes(StandardCharsets.UTF_8);
    }

    private static LogOptions logsTo(LogSink sink) {
        return LogOptions.builder()
                .sink(sink)
                .flushInterval(Duration.ofHours(1))
                .build();
    }

    static Schema seedSchema() {
        try (InputStream in = TypedClientTest.class.getResourceAsStream("/seed.graphql")) {
            return Schema.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "seed.graphql");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
