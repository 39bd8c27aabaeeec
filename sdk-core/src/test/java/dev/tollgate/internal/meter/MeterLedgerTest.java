package dev.tollgate.internal.meter;

import static dev.tollgate.MeteringFixtures.REQUESTS;
import static dev.tollgate.MeteringFixtures.TODAY;
import static dev.tollgate.MeteringFixtures.TOMORROW;
import static dev.tollgate.runtime.Consumption.Status.ALLOWED;
import static dev.tollgate.runtime.Consumption.Status.DENIED;
import static dev.tollgate.runtime.Consumption.Status.NOT_COUNTED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.DynamicInput;
import dev.tollgate.MeteringFixtures;
import dev.tollgate.MeteringFixtures.MutableClock;
import dev.tollgate.Reason;
import dev.tollgate.Schema;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.runtime.Consumption;
import dev.tollgate.runtime.InputValue;
import dev.tollgate.spi.LogBatch;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link MeterLedger}: counting per key, argument values and period; the caps on keys and argument combinations; the
 * hand-over of usage to batches (taken, accepted with or without the server's rows, refused); and the fleet's rows.
 */
class MeterLedgerTest {
    private static final SchemaModel MODEL = ApiAccess.model(MeteringFixtures.SCHEMA);
    private static final int REQUESTS_FIELD = MODEL.fieldIndex(REQUESTS);
    private static final long TODAY_MILLIS = TODAY.toEpochMilli();
    private static final Reason PRO = Reason.rule("pro");

    private final MutableClock clock = new MutableClock();
    private final MeterLedger ledger = MeterLedger.create(MODEL, clock, 100_000);

    private static InputValue org(String id) {
        return MeteringFixtures.context(id, "PRO");
    }

    private Consumption consume(MeterLedger meters, String organization, String endpoint, int amount, int limit) {
        return meters.consume(REQUESTS_FIELD, org(organization), new Object[] {endpoint}, amount, limit, false, PRO);
    }

    private Consumption consume(String organization, String endpoint, int amount, int limit) {
        return consume(ledger, organization, endpoint, amount, limit);
    }

    private long used(String organization, String endpoint) {
        return consume(organization, endpoint, 0, Integer.MAX_VALUE).used();
    }

    private static MeterLedger.FleetRow row(String organization, String endpoint, long used, long extra, long version) {
        return MeterLedger.FleetRow.of(
                REQUESTS, Map.of("endpoint", endpoint), organization, "DAY", TODAY_MILLIS, used, extra, version);
    }

    @Test
    void create_forASchemaWithoutMeteredFields_isNull() {
        Schema plain = Schema.parse("input Context { id: String } type Root { a: Int }", "plain.graphql");

        assertThat(MeterLedger.create(ApiAccess.model(plain), clock, 10)).isNull();
        assertThat(ledger).isNotNull();
    }

    // ---- caps ----

    @Test
    void consume_ofANewKeyOnceTheTableHoldsMaxKeys_isNotCounted_andTallied() {
        MeterLedger small = MeterLedger.create(MODEL, clock, 2);
        consume(small, "org_a", "search", 1, 10);
        consume(small, "org_b", "search", 1, 10);

        Consumption third = consume(small, "org_c", "search", 1, 10);
        Consumption again = consume(small, "org_c", "search", 1, 10);
        Consumption known = consume(small, "org_a", "export", 1, 10);
        small.fleet(List.of(row("org_d", "search", 5, 0, 1)));
        Consumption fromTheFleet = consume(small, "org_d", "search", 1, 10);

        assertThat(third)
                .isEqualTo(Consumption.notCounted(
                        10,
                        1,
                        PRO,
                        "the meter of entitlements.maxApiRequestsPerDay counts as many keys (or argument combinations"
                                + " of this key) in this period as it may; usage of new ones is not counted"));
        assertThat(again.status()).isEqualTo(NOT_COUNTED);
        assertThat(known.status()).isEqualTo(ALLOWED);
        assertThat(fromTheFleet.status())
                .as("a fleet row does not add a key to a full table")
                .isEqualTo(NOT_COUNTED);
        assertThat(small.notCounted()).isEqualTo(3);
    }

    @Test
    void consume_ofTheSixtyFifthArgumentCombinationOfAKey_isNotCounted() {
        for (int i = 0; i < KeyUsage.MAX_VARIANTS; i++) {
            assertThat(consume("org_1", "endpoint_" + i, 1, 10).status()).isEqualTo(ALLOWED);
        }

        Consumption next = consume("org_1", "one_too_many", 1, 10);
        Consumption otherKey = consume("org_2", "one_too_many", 1, 10);

        assertThat(next.status()).isEqualTo(NOT_COUNTED);
        assertThat(next.message()).startsWith("the meter of entitlements.maxApiRequestsPerDay counts as many keys");
        assertThat(otherKey.status()).isEqualTo(ALLOWED);
        assertThat(ledger.notCounted()).isEqualTo(1);
        assertThat(used("org_1", "endpoint_63")).isEqualTo(1);
    }

    // ---- reports ----

    @Test
    void takeReport_carriesTheAmountsConsumedSinceTheLastReport_oncePerKeyAndArguments() {
        consume("org_1", "search", 2, 10);
        consume("org_1", "search", 3, 10);
        consume("org_1", "export", 1, 10);
        consume("org_2", "search", 4, 10);
        consume("org_2", "search", 7, 10); // denied: not reported
        consume("org_3", "search", 0, 10); // a look: not reported

        assertThat(ledger.hasChanges()).isTrue();
        MeterLedger.Report report = ledger.takeReport();
        MeterLedger.Report next = ledger.takeReport();

        assertThat(report.deltas())
                .containsExactlyInAnyOrder(
                        delta("org_1", "search", 5), delta("org_1", "export", 1), delta("org_2", "search", 4));
        assertThat(report.size()).isEqualTo(3);
        assertThat(report.total()).isEqualTo(10);
        assertThat(next.deltas()).isEmpty();
        assertThat(ledger.hasChanges()).isFalse();
    }

    @Test
    void takeReport_ofMoreThanABatchHolds_leavesTheRestForTheNext() {
        MeterLedger big = MeterLedger.create(MODEL, clock, 20_000);
        for (int i = 0; i <= MeterLedger.MAX_DELTAS_PER_BATCH; i++) {
            consume(big, "org_" + i, "search", 1, 10);
        }

        MeterLedger.Report first = big.takeReport();
        MeterLedger.Report second = big.takeReport();

        assertThat(first.size()).isEqualTo(10_000);
        assertThat(second.size()).isEqualTo(1);
        assertThat(big.hasChanges()).isFalse();
    }

    @Test
    void accepted_withoutTheServersRows_keepsTheAmountsCountedAsTheFleets() {
        consume("org_1", "search", 6, 10);
        MeterLedger.Report report = ledger.takeReport();

        long inFlight = used("org_1", "search");
        ledger.accepted(report, "batch-1");

        assertThat(inFlight).as("while the batch is in flight").isEqualTo(6);
        assertThat(used("org_1", "search")).isEqualTo(6);
        assertThat(consume("org_1", "search", 5, 10).status()).isEqualTo(DENIED);
        assertThat(consume("org_1", "search", 4, 10).used()).isEqualTo(10);
    }

    @Test
    void accepted_afterTheServerAnsweredTheBatch_takesTheFleetsUsageInsteadOfAddingTheAmount() {
        consume("org_1", "search", 6, 1000);
        consume("org_2", "search", 2, 1000);
        MeterLedger.Report report = ledger.takeReport();
        consume("org_1", "search", 1, 1000); // consumed while the batch was in flight

        ledger.answered("batch-1", List.of(row("org_1", "search", 990, 0, 17)));
        ledger.accepted(report, "batch-1");

        assertThat(used("org_1", "search"))
                .as("the fleet's 990 holds the batch's 6")
                .isEqualTo(991);
        assertThat(used("org_2", "search"))
                .as("no row for org_2: its amount is added")
                .isEqualTo(2);
    }

    @Test
    void accepted_ofAnotherBatchThanTheAnswered_addsTheAmounts() {
        consume("org_1", "search", 6, 1000);
        MeterLedger.Report report = ledger.takeReport();

        ledger.answered("batch-0", List.of(row("org_1", "search", 990, 0, 17)));
        ledger.accepted(report, "batch-1");

        assertThat(used("org_1", "search")).isEqualTo(996);
    }

    @Test
    void refused_keepsTheAmountsCounted_butNeverReportsThemAgain() {
        consume("org_1", "search", 6, 10);
        MeterLedger.Report report = ledger.takeReport();

        ledger.refused(report);
        consume("org_1", "search", 1, 10);
        MeterLedger.Report next = ledger.takeReport();

        assertThat(used("org_1", "search")).isEqualTo(7);
        assertThat(consume("org_1", "search", 4, 10).status()).isEqualTo(DENIED);
        assertThat(next.deltas()).containsExactly(delta("org_1", "search", 1));
    }

    @Test
    void takeReport_afterARollover_reportsTheOldPeriodToo_withItsStart() {
        consume("org_1", "search", 2, 10);
        clock.set(TOMORROW.plusSeconds(1));
        consume("org_1", "search", 1, 10);

        MeterLedger.Report report = ledger.takeReport();

        assertThat(report.deltas())
                .containsExactlyInAnyOrder(
                        delta("org_1", "search", 2),
                        new LogBatch.UsageDelta(REQUESTS, Map.of("endpoint", "search"), "org_1", "DAY", TOMORROW, 1));
    }

    /**
     * Regression: a client with logs disabled never reports usage, so nothing ever let go of the tables of past
     * periods, and every period's keys stayed in memory for as long as the client ran (for an hourly meter, up to
     * maxMeteredKeys keys an hour). Unreported, a period's table now goes when the next period starts.
     */
    @Test
    void pastPeriodsTables_withoutReporting_areLetGoWhenTheNextPeriodStarts() {
        MeterLedger unreported = MeterLedger.create(MODEL, clock, 100, false);
        for (int day = 0; day < 30; day++) {
            clock.set(TODAY.plusSeconds(86_400L * day + 60));
            consume(unreported, "org_" + day, "search", 1, 10);
        }

        List<LogBatch.UsageDelta> held = unreported.takeReport().deltas();

        assertThat(held)
                .as("only the current period's table is held")
                .extracting(LogBatch.UsageDelta::key, LogBatch.UsageDelta::periodStart)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("org_29", TODAY.plusSeconds(86_400L * 29)));
    }

    @Test
    void pastPeriodsTables_withReporting_areKeptUntilTheirUsageIsReported() {
        for (int day = 0; day < 3; day++) {
            clock.set(TODAY.plusSeconds(86_400L * day + 60));
            consume("org_" + day, "search", 1, 10);
        }

        MeterLedger.Report report = ledger.takeReport();
        ledger.accepted(report, "b-1");
        clock.set(TODAY.plusSeconds(86_400L * 3 + 60));
        consume("org_3", "search", 1, 10);

        assertThat(report.deltas())
                .extracting(LogBatch.UsageDelta::key)
                .containsExactlyInAnyOrder("org_0", "org_1", "org_2");
        assertThat(ledger.takeReport().deltas())
                .extracting(LogBatch.UsageDelta::key)
                .containsExactly("org_3");
    }

    // ---- the fleet's usage ----

    @Test
    void fleet_installsNewerVersionsOnly_aResetLowersUsage_andLocalUsageAddsOnTop() {
        consume("org_1", "search", 3, 1000);

        ledger.fleet(List.of(row("org_1", "search", 100, 0, 5)));
        long atFive = used("org_1", "search");
        ledger.fleet(List.of(row("org_1", "search", 500, 0, 4), row("org_1", "search", 400, 0, 5)));
        long olderIgnored = used("org_1", "search");
        ledger.fleet(List.of(row("org_1", "search", 20, 0, 6)));
        long reset = used("org_1", "search");

        assertThat(atFive).isEqualTo(103);
        assertThat(olderIgnored).isEqualTo(103);
        assertThat(reset).isEqualTo(23);
    }

    @Test
    void fleet_extraRaisesTheLimit_forThePeriod() {
        ledger.fleet(List.of(row("org_1", "search", 10, 5, 1)));

        Consumption withExtra = consume("org_1", "search", 5, 10);
        Consumption beyond = consume("org_1", "search", 1, 10);
        Consumption otherArguments = consume("org_1", "export", 11, 10);

        assertThat(withExtra).isEqualTo(Consumption.counted(ALLOWED, 15, 15, 5, TOMORROW.toEpochMilli(), PRO));
        assertThat(beyond.status()).isEqualTo(DENIED);
        assertThat(beyond.limit()).isEqualTo(15);
        assertThat(otherArguments.status()).isEqualTo(DENIED);
        assertThat(otherArguments.limit()).isEqualTo(10);
    }

    @Test
    void fleet_rowsOfOtherFieldsPeriodsOrPeriodStarts_areSkipped() {
        long yesterday = TODAY_MILLIS - 86_400_000L;
        ledger.fleet(List.of(
                MeterLedger.FleetRow.of(
                        "entitlements.nope", Map.of("endpoint", "search"), "org_1", "DAY", TODAY_MILLIS, 50, 0, 1),
                MeterLedger.FleetRow.of(
                        REQUESTS, Map.of("endpoint", "search"), "org_1", "HOUR", TODAY_MILLIS, 50, 0, 1),
                MeterLedger.FleetRow.of(REQUESTS, Map.of("endpoint", "search"), "org_1", "DAY", yesterday, 50, 0, 1),
                MeterLedger.FleetRow.of(
                        REQUESTS, Map.of("endpoint", "search"), "org_1", "DAY", TOMORROW.toEpochMilli(), 50, 0, 1),
                MeterLedger.FleetRow.of(MeteringFixtures.TEAM_SIZE, Map.of(), "org_1", "DAY", TODAY_MILLIS, 50, 0, 1)));

        assertThat(used("org_1", "search")).isZero();
    }

    @Test
    void fleet_rowForArgumentsNotSeenHereYet_isFoundByTheLaterLocalConsumption() {
        Schema typed = Schema.parse(
                """
                input Context { id: String }
                enum Format { CSV PDF }
                type Root { exports(format: Format, size: Int, archived: Boolean, note: String): Int @metered(period: DAY, by: "context.id") }
                """,
                "typed.graphql");
        SchemaModel model = ApiAccess.model(typed);
        MeterLedger meters = MeterLedger.create(model, clock, 10);
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("format", "PDF");
        arguments.put("size", 5);
        arguments.put("archived", true);
        arguments.put("note", null);
        meters.fleet(List.of(MeterLedger.FleetRow.of("exports", arguments, "o", "DAY", TODAY_MILLIS, 7, 0, 1)));

        Consumption local = meters.consume(
                model.fieldIndex("exports"),
                DynamicInput.context(typed, Map.of("id", "o")),
                new Object[] {"PDF", 5, true, null},
                1,
                100,
                false,
                PRO);
        Consumption otherSize = meters.consume(
                model.fieldIndex("exports"),
                DynamicInput.context(typed, Map.of("id", "o")),
                new Object[] {"PDF", 6, true, null},
                1,
                100,
                false,
                PRO);

        assertThat(local.used()).isEqualTo(8);
        assertThat(otherSize.used()).isEqualTo(1);
    }

    @Test
    void fleet_rowsParsedFromTheServersJson_matchTheArgumentsTheGeneratedCodePasses() throws Exception {
        Schema typed = Schema.parse(
                """
                input Context { id: String }
                type Root { exports(size: Int!, archived: Boolean!): Int @metered(period: DAY, by: "context.id") }
                """,
                "typed.graphql");
        SchemaModel model = ApiAccess.model(typed);
        MeterLedger meters = MeterLedger.create(model, clock, 10);
        InputValue context = DynamicInput.context(typed, Map.of("id", "o"));
        Object[] args = {5, false};
        meters.consume(model.fieldIndex("exports"), context, args, 1, 100, false, PRO);
        String json =
                """
                {"usage": [{"field": "exports", "arguments": {"size": 5, "archived": false}, "key": "o",
                            "period": "DAY", "periodStart": "2026-12-06T00:00:00Z", "used": 40, "extra": 0,
                            "version": 3}]}""";

        meters.fleet(FleetJson.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
                .rows());
        Consumption after = meters.consume(model.fieldIndex("exports"), context, args, 1, 100, false, PRO);

        assertThat(after.used()).isEqualTo(42);
    }

    @Test
    void feedVersion_onlyGrows() {
        long initial = ledger.feedVersion();
        ledger.feedVersion(5);
        ledger.feedVersion(3);
        ledger.feedVersion(-1);

        assertThat(initial).isZero();
        assertThat(ledger.feedVersion()).isEqualTo(5);
    }

    @Test
    void fleetRow_of_writesTheArgumentsAsCanonicalJson_withSortedNamesAndEscapes() {
        Map<String, Object> arguments = new HashMap<>();
        arguments.put("b", 5);
        arguments.put("a", "say \"hi\"\n");
        arguments.put("c", true);
        arguments.put("d", null);

        MeterLedger.FleetRow row = MeterLedger.FleetRow.of(REQUESTS, arguments, "k", "DAY", 0, 1, 0, 1);

        assertThat(row.arguments()).isEqualTo("{\"a\":\"say \\\"hi\\\"\\n\",\"b\":5,\"c\":true,\"d\":null}");
        assertThat(MeterLedger.FleetRow.of(REQUESTS, Map.of(), "k", "DAY", 0, 1, 0, 1)
                        .arguments())
                .isEqualTo("{}");
    }

    private static LogBatch.UsageDelta delta(String organization, String endpoint, long amount) {
        return new LogBatch.UsageDelta(REQUESTS, Map.of("endpoint", endpoint), organization, "DAY", TODAY, amount);
    }
}
