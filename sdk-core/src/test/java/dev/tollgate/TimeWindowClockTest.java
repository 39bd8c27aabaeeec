package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.tollgate.testing.ManualClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A running client crossing the {@code until} of an override row on a clock the test controls. */
class TimeWindowClockTest {
    private static final Schema SEED = SeedEvaluationTest.seedSchema();
    private static final Instant UNTIL = Instant.parse("2027-01-01T00:00:00Z");

    private static String snapshot() {
        return """
                {"format": 1, "revision": 7, "schemaHash": "%s",
                 "fields": {"entitlements.maxTeamSize": {
                   "overrides": [{"by": "context.organization.id",
                                  "rows": {"org_hooli": {"value": 10, "until": "2027-01-01T00:00:00Z"}}}],
                   "rules": [{"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                              "value": 20}],
                   "default": 5}}}
                """
                .formatted(SEED.hash());
    }

    private static UntypedRoot hooli(TollgateClient client) {
        return client.root(DynamicInput.context(
                SEED, Map.of("organization", Map.of("id", "org_hooli", "plan", "FREE"), "user", Map.of("id", "u_1"))));
    }

    @Test
    void root_afterUntil_getsThePlanValueWithoutANewSnapshot() {
        ManualClock clock = ManualClock.at(UNTIL.minusMillis(1));
        try (TollgateClient client = TollgateClient.builder(SEED)
                .clock(clock)
                .logs(LogOptions.disabled())
                .build()) {
            client.loadSnapshot(snapshot());
            UntypedRoot before = hooli(client);
            assertThat(before.intValue("entitlements.maxTeamSize", -1)).isEqualTo(10);

            clock.set(UNTIL);
            UntypedRoot after = hooli(client);

            assertThat(after.intValue("entitlements.maxTeamSize", -1)).isEqualTo(5);
            EvaluationDetail<Object> detail = after.detail("entitlements.maxTeamSize", Map.of(), -1);
            assertThat(detail.reason().kind()).isEqualTo(Reason.Kind.DEFAULT);
            assertThat(detail.reason().notes())
                    .containsExactly("override context.organization.id=org_hooli lapsed at 2027-01-01T00:00:00Z");
            assertThat(detail.revision()).isEqualTo(7);
            assertThat(client.revision()).isEqualTo(7);
        }
    }

    @Test
    void root_boundBeforeUntil_keepsItsInstantForEveryRead() {
        ManualClock clock = ManualClock.at(UNTIL.minusSeconds(1));
        try (TollgateClient client = TollgateClient.builder(SEED)
                .clock(clock)
                .logs(LogOptions.disabled())
                .build()) {
            client.loadSnapshot(snapshot());
            UntypedRoot root = hooli(client);

            clock.set(UNTIL.plusSeconds(3600));

            assertThat(root.intValue("entitlements.maxTeamSize", -1)).isEqualTo(10);
            EvaluationDetail<Object> detail = root.detail("entitlements.maxTeamSize", Map.of(), -1);
            assertThat(detail.reason()).isEqualTo(Reason.override("context.organization.id=org_hooli"));
            assertThat(detail.reason().notes()).isEmpty();
        }
    }

    /** A clock that counts its reads. */
    private static final class CountingClock extends java.time.Clock {
        private final Instant instant;
        int reads;

        CountingClock(Instant instant) {
            this.instant = instant;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long millis() {
            reads++;
            return instant.toEpochMilli();
        }

        @Override
        public Instant instant() {
            reads++;
            return instant;
        }
    }

    private static String withoutWindows() {
        return """
                {"format": 1, "revision": 3, "schemaHash": "%s",
                 "fields": {"entitlements.maxTeamSize": {
                   "overrides": [{"by": "context.organization.id", "values": {"org_hooli": 10}}],
                   "default": 5}}}
                """
                .formatted(SEED.hash());
    }

    private static String segmentWithWindow() {
        return """
                {"format": 1, "revision": 8, "schemaHash": "%s",
                 "segments": {"trial": {"until": "2027-01-01T00:00:00Z",
                   "if": {"attribute": "context.organization.id", "op": "eq", "value": "org_hooli"}}},
                 "fields": {"entitlements.maxTeamSize": {
                   "rules": [{"id": "trial", "if": {"segment": "trial"}, "value": 30}],
                   "default": 5}}}
                """
                .formatted(SEED.hash());
    }

    @Test
    void root_readsTheClockOnlyWhenTheSnapshotHasATimeWindow() {
        CountingClock clock = new CountingClock(UNTIL.minusSeconds(60));
        try (TollgateClient client = TollgateClient.builder(SEED)
                .clock(clock)
                .logs(LogOptions.disabled())
                .build()) {
            assertThat(client.loadSnapshot(withoutWindows()).installed()).isTrue();
            int before = clock.reads;
            assertThat(hooli(client).intValue("entitlements.maxTeamSize", -1)).isEqualTo(10);
            assertThat(hooli(client).intValue("entitlements.maxTeamSize", -1)).isEqualTo(10);
            assertThat(clock.reads - before)
                    .as("reads for two roots of a snapshot without windows")
                    .isZero();

            assertThat(client.loadSnapshot(snapshot()).installed()).isTrue(); // a row with an until
            before = clock.reads;
            UntypedRoot root = hooli(client);
            assertThat(root.intValue("entitlements.maxTeamSize", -1)).isEqualTo(10);
            assertThat(root.intValue("entitlements.maxTeamSize", -1)).isEqualTo(10);
            assertThat(clock.reads - before)
                    .as("reads for one root of a snapshot with a windowed row")
                    .isOne();

            assertThat(client.loadSnapshot(segmentWithWindow()).installed()).isTrue();
            before = clock.reads;
            assertThat(hooli(client).intValue("entitlements.maxTeamSize", -1)).isEqualTo(30);
            assertThat(clock.reads - before)
                    .as("reads for one root of a snapshot with a windowed segment")
                    .isOne();
        }
    }

    @Test
    void reason_withNotes_showsThemAndKeepsTheAnswer() {
        Reason noted = Reason.ofDefault().withNotes(List.of("override context.organization.id=a lapsed at x"));

        assertThat(noted.label()).isEqualTo("default");
        assertThat(noted).hasToString("default (override context.organization.id=a lapsed at x)");
        assertThat(noted).isNotEqualTo(Reason.ofDefault());
        assertThat(Reason.ofDefault().notes()).isEmpty();
    }

    @Test
    void builder_clock_refusesNull() {
        assertThatNullPointerException()
                .isThrownBy(() -> TollgateClient.builder(SEED).clock(null))
                .withMessage("clock");
    }
}
