package dev.tollgate.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.tollgate.DynamicInput;
import dev.tollgate.LogOptions;
import dev.tollgate.Reason;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.logs.RecordingSink;
import dev.tollgate.spi.LogBatch;
import dev.tollgate.testing.ManualClock;
import dev.tollgate.testing.SnapshotBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link SnapshotReader}, what generated nodes read through: one per installed snapshot, shared by the roots taken while
 * it is installed, the context passed with each read.
 */
class SnapshotReaderTest {
    private static final Schema SEED = TypedClientTest.SEED;
    private static final String MAX_TEAM_SIZE = TypedClientTest.MAX_TEAM_SIZE;
    private static final int TEAM_SIZE = ApiAccess.model(SEED).fieldIndex(MAX_TEAM_SIZE);
    private static final Object[] NO_ARGS = GeneratedSupport.NO_ARGUMENTS;

    /** What a generated entry point's {@code root(...)} calls. */
    static final class Flags extends TypedClient {
        Flags(TollgateClient client) {
            super(client, SEED);
        }

        SnapshotReader readerFor(InputValue context) {
            return reader(context);
        }
    }

    private static SnapshotBuilder overridden(long revision, int value) {
        return SnapshotBuilder.forSchema(SEED).revision(revision).field(MAX_TEAM_SIZE, f -> f.override(
                        "context.organization.id", "org_big", value)
                .defaultValue(5));
    }

    @Test
    void reader_isSharedWhileItsSnapshotIsInstalled_andRootsKeepTheirsAfterAnInstall() {
        try (Flags flags = new Flags(
                TollgateClient.builder(SEED).logs(LogOptions.disabled()).build())) {
            flags.loadSnapshot(overridden(1, 50).toJson());
            DynamicInput big = TypedClientTest.context("org_big");
            DynamicInput small = TypedClientTest.context("org_small");

            SnapshotReader first = flags.readerFor(big);
            assertThat(flags.readerFor(small)).isSameAs(first);
            assertThat(first.revision()).isEqualTo(1);
            assertThat(first.intValue(big, TEAM_SIZE, NO_ARGS, -1)).isEqualTo(50);
            assertThat(first.intValue(small, TEAM_SIZE, NO_ARGS, -1)).isEqualTo(5);

            flags.loadSnapshot(overridden(2, 80).toJson());
            SnapshotReader second = flags.readerFor(big);

            assertThat(second).isNotSameAs(first);
            assertThat(second.revision()).isEqualTo(2);
            assertThat(second.intValue(big, TEAM_SIZE, NO_ARGS, -1)).isEqualTo(80);
            assertThat(first.intValue(big, TEAM_SIZE, NO_ARGS, -1))
                    .as("a reader taken before the install")
                    .isEqualTo(50);
            assertThat(first.detail(big, TEAM_SIZE, NO_ARGS, -1).revision()).isEqualTo(1);
        }
    }

    @Test
    void reader_beforeAnySnapshot_answersFallbacks_andIsReplacedByTheFirstInstall() {
        try (Flags flags = new Flags(
                TollgateClient.builder(SEED).logs(LogOptions.disabled()).build())) {
            DynamicInput big = TypedClientTest.context("org_big");
            SnapshotReader none = flags.readerFor(big);

            assertThat(none.revision()).isZero();
            assertThat(none.intValue(big, TEAM_SIZE, NO_ARGS, -1)).isEqualTo(-1);
            assertThat(none.detail(big, TEAM_SIZE, NO_ARGS, -1).reason().message())
                    .isEqualTo("no snapshot has been installed yet");

            flags.loadSnapshot(overridden(1, 50).toJson());

            assertThat(flags.readerFor(big).intValue(big, TEAM_SIZE, NO_ARGS, -1))
                    .isEqualTo(50);
        }
    }

    @Test
    void reader_ofASnapshotWithTimeWindows_isOnePerRoot_pinningTheInstantItWasTaken() {
        Instant until = Instant.parse("2027-01-01T00:00:00Z");
        ManualClock clock = ManualClock.at(until.minusMillis(1));
        String windowed =
                """
                {"format": 1, "revision": 3, "schemaHash": "%s",
                 "fields": {"entitlements.maxTeamSize": {
                   "overrides": [{"by": "context.organization.id",
                                  "rows": {"org_big": {"value": 10, "until": "2027-01-01T00:00:00Z"}}}],
                   "default": 5}}}
                """
                        .formatted(SEED.hash());
        try (Flags flags = new Flags(TollgateClient.builder(SEED)
                .clock(clock)
                .logs(LogOptions.disabled())
                .build())) {
            flags.loadSnapshot(windowed);
            DynamicInput big = TypedClientTest.context("org_big");
            SnapshotReader before = flags.readerFor(big);

            clock.advance(Duration.ofMillis(1));
            SnapshotReader after = flags.readerFor(big);

            assertThat(after).isNotSameAs(before);
            assertThat(before.intValue(big, TEAM_SIZE, NO_ARGS, -1))
                    .as("read after the until, through a reader taken before it")
                    .isEqualTo(10);
            assertThat(after.intValue(big, TEAM_SIZE, NO_ARGS, -1)).isEqualTo(5);
            assertThat(after.detail(big, TEAM_SIZE, NO_ARGS, -1).reason().notes())
                    .containsExactly("override context.organization.id=org_big lapsed at 2027-01-01T00:00:00Z");
        }
    }

    @Test
    void reader_refusesANullContextAndOneOfAnotherType() {
        Schema other = Schema.parse(
                "input Account { id: String! }\ntype Seats { seats: Int! }\n"
                        + "type Query { root(context: Account!): Seats! }\n",
                "other.graphql");
        try (Flags flags = new Flags(
                TollgateClient.builder(SEED).logs(LogOptions.disabled()).build())) {
            assertThatNullPointerException()
                    .isThrownBy(() -> flags.readerFor(null))
                    .withMessage("context");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> flags.readerFor(DynamicInput.context(other, Map.of("id", "a"))))
                    .withMessage("expected a Context context but got Account");
        }
    }

    @Test
    void intLimit_ofAReaderAndAContext_checksThatContextsLimit() {
        try (Flags flags = new Flags(
                TollgateClient.builder(SEED).logs(LogOptions.disabled()).build())) {
            flags.loadSnapshot(overridden(1, 50).toJson());
            DynamicInput big = TypedClientTest.context("org_big");
            IntLimit limit = IntLimit.of(flags.readerFor(big), big, TEAM_SIZE, NO_ARGS);

            LimitCheck fits = limit.check(49, 1, -1);
            LimitCheck over = limit.check(50, 1, -1);

            assertThat(fits.allowed()).isTrue();
            assertThat(fits.limit()).isEqualTo(50);
            assertThat(fits.reason()).isEqualTo(Reason.override("context.organization.id=org_big"));
            assertThat(over.allowed()).isFalse();
            assertThat(limit.value(-1)).isEqualTo(50);
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> flags.readerFor(big).limitCheck(big, TEAM_SIZE, NO_ARGS, -1, 1, -1))
                    .withMessage("used must not be negative, but was -1");
        }
    }

    @Test
    void readsThroughOneReader_fromTwoThreads_areEachCountedOnce() throws Exception {
        RecordingSink sink = new RecordingSink();
        LogOptions logs = LogOptions.builder()
                .sink(sink)
                .flushInterval(Duration.ofHours(1))
                .build();
        try (Flags flags = new Flags(TollgateClient.builder(SEED).logs(logs).build())) {
            flags.loadSnapshot(overridden(1, 50).toJson());
            DynamicInput big = TypedClientTest.context("org_big");
            DynamicInput small = TypedClientTest.context("org_small");
            SnapshotReader reader = flags.readerFor(big);
            Thread other = new Thread(() -> {
                for (int i = 0; i < 300; i++) {
                    reader.intValue(big, TEAM_SIZE, NO_ARGS, -1);
                }
            });
            other.start();
            for (int i = 0; i < 200; i++) {
                reader.intValue(big, TEAM_SIZE, NO_ARGS, -1);
                reader.intValue(small, TEAM_SIZE, NO_ARGS, -1);
            }
            other.join();

            flags.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(sink.count(MAX_TEAM_SIZE, "override")).isEqualTo(500);
            assertThat(sink.count(MAX_TEAM_SIZE, "default")).isEqualTo(200);
        }
    }

    /**
     * Regression: an index the schema does not have was counted under a slot computed from it, so that -1 threw out of
     * the accessor and a large index allocated a counts array of that length.
     */
    @Test
    void readsOfIndicesTheSchemaDoesNotHave_answerTheFallback_andAreNotCounted() throws Exception {
        RecordingSink sink = new RecordingSink();
        LogOptions logs = LogOptions.builder()
                .sink(sink)
                .flushInterval(Duration.ofHours(1))
                .build();
        try (Flags flags = new Flags(TollgateClient.builder(SEED).logs(logs).build())) {
            flags.loadSnapshot(overridden(1, 50).toJson());
            DynamicInput big = TypedClientTest.context("org_big");
            SnapshotReader reader = flags.readerFor(big);
            int fields = ApiAccess.model(SEED).fields().size();

            assertThat(reader.intValue(big, -1, NO_ARGS, 7)).isEqualTo(7);
            assertThat(reader.intValue(big, fields, NO_ARGS, 8)).isEqualTo(8);
            assertThat(reader.intValue(big, Integer.MAX_VALUE, NO_ARGS, 9)).isEqualTo(9);
            assertThat(reader.detail(big, -1, NO_ARGS, 7).reason().message())
                    .isEqualTo("the schema has no field with index -1");
            assertThat(reader.intValue(big, TEAM_SIZE, NO_ARGS, -1)).isEqualTo(50);

            flags.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(sink.batches).hasSize(1);
            assertThat(sink.batches.get(0).evaluations())
                    .as("the counts sent")
                    .containsExactly(new LogBatch.EvaluationCount(MAX_TEAM_SIZE, "override", 1));
        }
    }
}
