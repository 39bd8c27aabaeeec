package dev.tollgate;

import static dev.tollgate.MeteringFixtures.EXPORTS;
import static dev.tollgate.MeteringFixtures.REQUESTS;
import static dev.tollgate.MeteringFixtures.SCHEMA;
import static dev.tollgate.MeteringFixtures.SEATS;
import static dev.tollgate.MeteringFixtures.TEAM_SIZE;
import static dev.tollgate.MeteringFixtures.TODAY;
import static dev.tollgate.MeteringFixtures.TOMORROW;
import static dev.tollgate.MeteringFixtures.field;
import static dev.tollgate.MeteringFixtures.reader;
import static dev.tollgate.MeteringFixtures.requests;
import static dev.tollgate.MeteringFixtures.requestsSnapshot;
import static dev.tollgate.MeteringFixtures.snapshot;
import static dev.tollgate.runtime.Consumption.Status.ALLOWED;
import static dev.tollgate.runtime.Consumption.Status.ALLOWED_OVER_LIMIT;
import static dev.tollgate.runtime.Consumption.Status.DENIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollgate.MeteringFixtures.MutableClock;
import dev.tollgate.internal.ApiAccess;
import dev.tollgate.logs.RecordingSink;
import dev.tollgate.runtime.Consumption;
import dev.tollgate.runtime.FieldReader;
import dev.tollgate.runtime.MeteredLimit;
import dev.tollgate.spi.LogBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link MeteredLimit#tryConsume} and {@link MeteredLimit#usage} through a client: hard and soft limits counted per key,
 * argument values and UTC period by the client's clock, and the consumptions that cannot be counted.
 */
class MeteringTest {
    private static final Object[] NO_ARGS = {};
    private static final long TOMORROW_MILLIS = TOMORROW.toEpochMilli();

    private static TollgateClient client(MutableClock clock, String snapshot) {
        TollgateClient client = TollgateClient.builder(SCHEMA)
                .clock(clock)
                .logs(LogOptions.disabled())
                .build();
        if (snapshot != null) {
            client.loadSnapshot(snapshot);
        }
        return client;
    }

    private static TollgateClient client(String snapshot) {
        return client(new MutableClock(), snapshot);
    }

    // ---- hard limits ----

    @Test
    void tryConsume_underAHardLimit_isAllowedUpToTheLimit_thenDeniedWithUsageUnchanged() {
        try (TollgateClient client = client(requestsSnapshot())) {
            MeteredLimit search = requests(client, "org_1", "PRO", "search");

            List<Consumption> allowed =
                    List.of(search.tryConsume(1, 50), search.tryConsume(1, 50), search.tryConsume(1, 50));
            Consumption denied = search.tryConsume(1, 50);
            Consumption deniedAgain = search.tryConsume(1, 50);
            Consumption look = search.usage(50);

            assertThat(allowed)
                    .extracting(Consumption::status, Consumption::used, Consumption::remaining, Consumption::overLimit)
                    .containsExactly(
                            tuple(ALLOWED, 1L, 2L, false),
                            tuple(ALLOWED, 2L, 1L, false),
                            tuple(ALLOWED, 3L, 0L, false));
            assertThat(allowed.get(0))
                    .isEqualTo(Consumption.counted(ALLOWED, 3, 1, 1, TOMORROW_MILLIS, Reason.rule("pro")));
            assertThat(denied)
                    .isEqualTo(Consumption.counted(DENIED, 3, 3, 1, TOMORROW_MILLIS, Reason.rule("pro")))
                    .isEqualTo(deniedAgain);
            assertThat(denied.allowed()).isFalse();
            assertThat(denied.overLimit()).isTrue();
            assertThat(denied.remaining()).isZero();
            assertThat(denied.message()).isNull();
            assertThat(denied.resetsAt()).isEqualTo(TOMORROW);
            assertThat(look).isEqualTo(Consumption.counted(ALLOWED, 3, 3, 0, TOMORROW_MILLIS, Reason.rule("pro")));
        }
    }

    @Test
    void tryConsume_moreThanRemains_isDeniedWhole_andASmallerAmountStillFits() {
        try (TollgateClient client = client(requestsSnapshot())) {
            MeteredLimit search = requests(client, "org_1", "FREE", "search");

            Consumption most = search.tryConsume(999, 50);
            Consumption tooMuch = search.tryConsume(2, 50);
            Consumption rest = search.tryConsume(1, 50);
            Consumption hugeOnAnotherKey =
                    requests(client, "org_2", "FREE", "search").tryConsume(1001, 50);

            assertThat(most)
                    .isEqualTo(Consumption.counted(ALLOWED, 1000, 999, 999, TOMORROW_MILLIS, Reason.ofDefault()));
            assertThat(tooMuch)
                    .isEqualTo(Consumption.counted(DENIED, 1000, 999, 2, TOMORROW_MILLIS, Reason.ofDefault()));
            assertThat(tooMuch.remaining()).isEqualTo(1);
            assertThat(rest)
                    .isEqualTo(Consumption.counted(ALLOWED, 1000, 1000, 1, TOMORROW_MILLIS, Reason.ofDefault()));
            assertThat(hugeOnAnotherKey)
                    .isEqualTo(Consumption.counted(DENIED, 1000, 0, 1001, TOMORROW_MILLIS, Reason.ofDefault()));
        }
    }

    @Test
    void usage_andAmountZero_consumeNothing_andReportTheCurrentUsage() {
        try (TollgateClient client = client(requestsSnapshot())) {
            MeteredLimit search = requests(client, "org_1", "PRO", "search");

            Consumption before = search.usage(50);
            Consumption zero = search.tryConsume(0, 50);
            search.usage(50);
            search.tryConsume(0, 50);
            Consumption first = search.tryConsume(1, 50);
            Consumption after = search.usage(50);

            assertThat(before).isEqualTo(Consumption.counted(ALLOWED, 3, 0, 0, TOMORROW_MILLIS, Reason.rule("pro")));
            assertThat(zero).isEqualTo(before);
            assertThat(first.used()).as("the looks counted nothing").isEqualTo(1);
            assertThat(after).isEqualTo(Consumption.counted(ALLOWED, 3, 1, 0, TOMORROW_MILLIS, Reason.rule("pro")));
        }
    }

    @Test
    void tryConsume_negativeAmount_throwsNamingTheValue_andCountsNothing() {
        try (TollgateClient client = client(requestsSnapshot())) {
            FieldReader reader = reader(client, "org_1", "PRO");
            MeteredLimit search = requests(reader, "search");

            IllegalArgumentException minusOne =
                    catchThrowableOfType(IllegalArgumentException.class, () -> search.tryConsume(-1, 50));
            IllegalArgumentException throughTheReader = catchThrowableOfType(
                    IllegalArgumentException.class,
                    () -> reader.consume(field(REQUESTS), new Object[] {"search"}, Integer.MIN_VALUE, 50));

            assertThat(minusOne).hasMessage("amount must not be negative, but was -1");
            assertThat(throughTheReader).hasMessage("amount must not be negative, but was -2147483648");
            assertThat(search.usage(50).used()).isZero();
        }
    }

    @Test
    void tryConsume_countsPerKeyAndPerArgumentValue_whileTheLimitIsReadForEachRoot() {
        try (TollgateClient client = client(requestsSnapshot())) {
            for (int i = 0; i < 3; i++) {
                requests(client, "org_1", "PRO", "search").tryConsume(1, 50);
            }

            Consumption sameKeyAndArgument =
                    requests(client, "org_1", "PRO", "search").tryConsume(1, 50);
            Consumption otherArgument =
                    requests(client, "org_1", "PRO", "export").tryConsume(1, 50);
            Consumption otherKey = requests(client, "org_2", "PRO", "search").tryConsume(1, 50);
            Consumption sameKeyOnAnotherPlan =
                    requests(client, "org_1", "FREE", "search").tryConsume(1, 50);

            assertThat(sameKeyAndArgument.status()).isEqualTo(DENIED);
            assertThat(sameKeyAndArgument.used()).isEqualTo(3);
            assertThat(otherArgument)
                    .isEqualTo(Consumption.counted(ALLOWED, 3, 1, 1, TOMORROW_MILLIS, Reason.rule("pro")));
            assertThat(otherKey).isEqualTo(Consumption.counted(ALLOWED, 3, 1, 1, TOMORROW_MILLIS, Reason.rule("pro")));
            assertThat(sameKeyOnAnotherPlan)
                    .as("usage belongs to the key; the limit to the context")
                    .isEqualTo(Consumption.counted(ALLOWED, 1000, 4, 1, TOMORROW_MILLIS, Reason.ofDefault()));
        }
    }

    @Test
    void tryConsume_afterANewSnapshot_keepsTheUsage_andAppliesTheNewLimitToNewRoots() {
        try (TollgateClient client = client(requestsSnapshot())) {
            MeteredLimit pinned = requests(client, "org_1", "PRO", "search");
            for (int i = 0; i < 3; i++) {
                pinned.tryConsume(1, 50);
            }

            client.loadSnapshot(
                    snapshot(2, """
                    "entitlements.maxApiRequestsPerDay": {"default": 5}"""));
            Consumption old = pinned.tryConsume(1, 50);
            Consumption fresh = requests(client, "org_1", "PRO", "search").tryConsume(1, 50);

            assertThat(old).isEqualTo(Consumption.counted(DENIED, 3, 3, 1, TOMORROW_MILLIS, Reason.rule("pro")));
            assertThat(fresh).isEqualTo(Consumption.counted(ALLOWED, 5, 4, 1, TOMORROW_MILLIS, Reason.ofDefault()));
        }
    }

    @Test
    void tryConsume_withoutLogicForTheField_countsAgainstTheFallback_withTheReason() {
        String onlyTeamSize = snapshot(1, "\"entitlements.maxTeamSize\": {\"default\": 20}");
        try (TollgateClient client = client(onlyTeamSize)) {
            MeteredLimit search = requests(client, "org_1", "PRO", "search");
            Reason noLogic = Reason.fallback(
                    FallbackCause.NO_LOGIC, "the snapshot has no logic for entitlements.maxApiRequestsPerDay");

            Consumption first = search.tryConsume(1, 2);
            Consumption second = search.tryConsume(1, 2);
            Consumption third = search.tryConsume(1, 2);

            assertThat(first).isEqualTo(Consumption.counted(ALLOWED, 2, 1, 1, TOMORROW_MILLIS, noLogic));
            assertThat(second.used()).isEqualTo(2);
            assertThat(third).isEqualTo(Consumption.counted(DENIED, 2, 2, 1, TOMORROW_MILLIS, noLogic));
            assertThat(third.reason().label()).isEqualTo("fallback:NO_LOGIC");
            assertThat(search.value(2)).isEqualTo(2);
        }
    }

    @Test
    void tryConsume_beforeAnySnapshot_countsAgainstTheFallback_asNotReady() {
        try (TollgateClient client = client(null)) {
            MeteredLimit search = requests(client, "org_1", "PRO", "search");

            Consumption first = search.tryConsume(1, 1);
            Consumption second = search.tryConsume(1, 1);

            Reason notReady = Reason.fallback(FallbackCause.NOT_READY, "no snapshot has been installed yet");
            assertThat(first).isEqualTo(Consumption.counted(ALLOWED, 1, 1, 1, TOMORROW_MILLIS, notReady));
            assertThat(second).isEqualTo(Consumption.counted(DENIED, 1, 1, 1, TOMORROW_MILLIS, notReady));
        }
    }

    @Test
    void tryConsume_resetsAtTheEndOfEachFieldsPeriod_byTheClientsClock_andCountsByEnumAndNestedAttributes() {
        String fields =
                """
                "entitlements.maxApiRequestsPerDay": {"default": 10},
                "entitlements.exportsPerHour": {"default": 10},
                "entitlements.seatsPerMonth": {"default": 10}""";
        try (TollgateClient client = client(snapshot(1, fields))) {
            FieldReader reader = reader(client, "org_1", "PRO");

            Consumption day = requests(reader, "search").tryConsume(1, 0);
            Consumption hour = MeteredLimit.of(reader, field(EXPORTS), new Object[] {"CSV"})
                    .tryConsume(1, 0);
            Consumption month = MeteredLimit.of(reader, field(SEATS), NO_ARGS).tryConsume(1, 0);

            assertThat(day.resetsAt()).isEqualTo(TOMORROW);
            assertThat(hour.resetsAt()).isEqualTo(Instant.parse("2026-12-06T16:00:00Z"));
            assertThat(month.resetsAt()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
            assertThat(List.of(day, hour, month))
                    .extracting(Consumption::status, Consumption::used, Consumption::limit)
                    .containsOnly(tuple(ALLOWED, 1L, 10L));
        }
    }

    @Test
    void value_isTheLimitAlone_andConsumesNothing() {
        try (TollgateClient client = client(requestsSnapshot())) {
            MeteredLimit pro = requests(client, "org_1", "PRO", "search");

            assertThat(pro.value(50)).isEqualTo(3);
            assertThat(requests(client, "org_1", "FREE", "search").value(50)).isEqualTo(1000);
            assertThat(pro.usage(50).used()).isZero();
        }
    }

    // ---- periods ----

    @Test
    void tryConsume_inTheNextPeriod_startsFromZero_andAClockThatGoesBackKeepsTheNewerPeriod() {
        MutableClock clock = new MutableClock();
        try (TollgateClient client = client(clock, requestsSnapshot())) {
            MeteredLimit search = requests(client, "org_1", "PRO", "search");
            for (int i = 0; i < 3; i++) {
                search.tryConsume(1, 50);
            }
            Consumption lastOfToday = search.tryConsume(1, 50);

            clock.set(TOMORROW);
            Consumption firstOfTomorrow = search.tryConsume(1, 50);
            clock.set(TOMORROW.minusMillis(1));
            Consumption clockWentBack = search.usage(50);

            long dayAfter = Instant.parse("2026-12-08T00:00:00Z").toEpochMilli();
            assertThat(lastOfToday.status()).isEqualTo(DENIED);
            assertThat(firstOfTomorrow).isEqualTo(Consumption.counted(ALLOWED, 3, 1, 1, dayAfter, Reason.rule("pro")));
            assertThat(clockWentBack).isEqualTo(Consumption.counted(ALLOWED, 3, 1, 0, dayAfter, Reason.rule("pro")));
        }
    }

    @Test
    void flushLogs_afterARollover_reportsEachPeriodsUsageWithItsOwnPeriodStart() throws Exception {
        MutableClock clock = new MutableClock();
        RecordingSink sink = new RecordingSink();
        LogOptions logs = LogOptions.builder()
                .sink(sink)
                .flushInterval(Duration.ofHours(1))
                .usageInterval(Duration.ofHours(1))
                .build();
        try (TollgateClient client =
                TollgateClient.builder(SCHEMA).clock(clock).logs(logs).build()) {
            client.loadSnapshot(requestsSnapshot());
            MeteredLimit search = requests(client, "org_1", "PRO", "search");
            search.tryConsume(2, 50);
            search.tryConsume(1, 50);
            search.tryConsume(1, 50); // denied: not reported

            clock.set(TOMORROW.plusSeconds(5));
            search.tryConsume(1, 50);
            client.flushLogs().get(5, TimeUnit.SECONDS);

            Map<String, Object> endpoint = Map.of("endpoint", "search");
            assertThat(sink.batches).hasSize(1);
            assertThat(sink.batches.get(0).usage())
                    .containsExactlyInAnyOrder(
                            new LogBatch.UsageDelta(REQUESTS, endpoint, "org_1", "DAY", TODAY, 3),
                            new LogBatch.UsageDelta(REQUESTS, endpoint, "org_1", "DAY", TOMORROW, 1));
        }
    }

    /**
     * Regression: with logs disabled nothing reports usage, and the client kept every past period's table (see {@code
     * MeterLedgerTest.pastPeriodsTables_withoutReporting_areLetGoWhenTheNextPeriodStarts}). Reads the client's ledger
     * to see which periods it holds.
     */
    @Test
    void tryConsume_withLogsDisabled_keepsNoPastPeriodsUsage() throws Exception {
        MutableClock clock = new MutableClock();
        try (TollgateClient client = client(clock, requestsSnapshot())) {
            for (int day = 0; day < 10; day++) {
                clock.set(TODAY.plusSeconds(86_400L * day + 60));
                requests(client, "org_" + day, "FREE", "search").tryConsume(1, 0);
            }
            java.lang.reflect.Field meters = TollgateClient.class.getDeclaredField("meters");
            meters.setAccessible(true);

            List<LogBatch.UsageDelta> held = ((dev.tollgate.internal.meter.MeterLedger) meters.get(client))
                    .takeReport()
                    .deltas();

            assertThat(held).extracting(LogBatch.UsageDelta::key).containsExactly("org_9");
        }
    }

    // ---- soft limits ----

    /**
     * The limit is 2 whichever way it comes out; the third request of 1 passes it. A rule's {@code softLimit} decides
     * for the rule's value, the field's for every other value (default, overrides, rules that do not say).
     */
    @ParameterizedTest(name = "field {0}, rule {1}, answered by {2}: {3}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            -     | -     | rule     | DENIED
            true  | -     | rule     | ALLOWED_OVER_LIMIT
            -     | true  | rule     | ALLOWED_OVER_LIMIT
            true  | false | rule     | DENIED
            false | true  | rule     | ALLOWED_OVER_LIMIT
            false | -     | rule     | DENIED
            true  | true  | rule     | ALLOWED_OVER_LIMIT
            true  | false | default  | ALLOWED_OVER_LIMIT
            -     | true  | default  | DENIED
            false | true  | default  | DENIED
            true  | -     | override | ALLOWED_OVER_LIMIT
            -     | true  | override | DENIED
            true  | false | override | ALLOWED_OVER_LIMIT
            """)
    void tryConsume_pastTheLimit_isDeniedOrAllowedOverIt_asTheRuleOrTheFieldSays(
            String fieldSoft, String ruleSoft, String answeredBy, Consumption.Status expected) {
        String snapshot = snapshot(
                1,
                """
                "entitlements.maxApiRequestsPerDay": {%s
                  "overrides": [{"by": "context.organization.id", "values": {"org_vip": 2}}],
                  "rules": [{"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                             "value": 2%s}],
                  "default": 2}"""
                        .formatted(
                                fieldSoft.equals("-") ? "" : "\"softLimit\": " + fieldSoft + ",",
                                ruleSoft.equals("-") ? "" : ", \"softLimit\": " + ruleSoft));
        String organization = answeredBy.equals("override") ? "org_vip" : "org_1";
        String plan = answeredBy.equals("rule") ? "PRO" : "FREE";
        Reason reason =
                switch (answeredBy) {
                    case "rule" -> Reason.rule("pro");
                    case "override" -> Reason.override("context.organization.id=org_vip");
                    default -> Reason.ofDefault();
                };
        try (TollgateClient client = client(snapshot)) {
            MeteredLimit search = requests(client, organization, plan, "search");
            search.tryConsume(1, 50);
            search.tryConsume(1, 50);

            Consumption third = search.tryConsume(1, 50);

            long used = expected == DENIED ? 2 : 3;
            assertThat(third).isEqualTo(Consumption.counted(expected, 2, used, 1, TOMORROW_MILLIS, reason));
            assertThat(third.overLimit()).isTrue();
            assertThat(third.allowed()).isEqualTo(expected != DENIED);
            assertThat(third.remaining()).isZero();
        }
    }

    @Test
    void tryConsume_pastASoftLimit_keepsCountingEveryAmount_andALookReportsItOver() {
        String soft = snapshot(
                1, """
                "entitlements.maxApiRequestsPerDay": {"softLimit": true, "default": 2}""");
        try (TollgateClient client = client(soft)) {
            MeteredLimit search = requests(client, "org_1", "PRO", "search");

            Consumption atOnce = search.tryConsume(10, 50);
            Consumption more = search.tryConsume(5, 50);
            Consumption look = search.usage(50);

            assertThat(atOnce)
                    .isEqualTo(Consumption.counted(ALLOWED_OVER_LIMIT, 2, 10, 10, TOMORROW_MILLIS, Reason.ofDefault()));
            assertThat(more.used()).isEqualTo(15);
            assertThat(look)
                    .isEqualTo(Consumption.counted(ALLOWED_OVER_LIMIT, 2, 15, 0, TOMORROW_MILLIS, Reason.ofDefault()));
            assertThat(look.overLimit()).isTrue();
        }
    }

    @Test
    void tryConsume_underASoftRuleWithASplit_isSoftForEveryArm() {
        String split = snapshot(
                1,
                """
                "entitlements.maxApiRequestsPerDay": {
                  "rules": [{"id": "trial", "softLimit": true,
                             "split": {"by": "context.organization.id", "seed": "s",
                                       "arms": [{"id": "low", "weight": 50, "value": 1},
                                                {"id": "high", "weight": 50, "value": 2}]}}],
                  "default": 100}""");
        try (TollgateClient client = client(split)) {
            List<Consumption> over = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                MeteredLimit search = requests(client, "org_" + i, "FREE", "search");
                search.tryConsume(2, 50);
                over.add(search.tryConsume(1, 50));
            }

            assertThat(over).extracting(c -> c.reason().arm()).contains("low", "high");
            assertThat(over).allSatisfy(c -> {
                assertThat(c.status()).isEqualTo(ALLOWED_OVER_LIMIT);
                assertThat(c.used()).isEqualTo(3);
            });
        }
    }

    // ---- not counted ----

    @Test
    void tryConsume_withoutAValueForTheCountingAttribute_isAllowedAndNotCounted() {
        try (TollgateClient client = client(requestsSnapshot())) {
            MeteredLimit anonymous = requests(client, null, "PRO", "search");
            MeteredLimit noOrganization =
                    requests(ApiAccess.bind(client, DynamicInput.context(SCHEMA, Map.of("region", "US"))), "search");

            List<Consumption> answers = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                answers.add(anonymous.tryConsume(2, 50));
            }
            Consumption absentObject = noOrganization.tryConsume(1, 50);

            String message = "the context has no value for context.organization.id, which counts usage";
            assertThat(answers).containsOnly(Consumption.notCounted(3, 2, Reason.rule("pro"), message));
            assertThat(answers.get(0).used()).isZero();
            assertThat(answers.get(0).allowed()).isTrue();
            assertThat(answers.get(0).overLimit()).isFalse();
            assertThat(answers.get(0).resetsAt()).isEqualTo(Instant.MAX);
            assertThat(absentObject).isEqualTo(Consumption.notCounted(1000, 1, Reason.ofDefault(), message));
        }
    }

    @Test
    void consume_ofAFieldThatIsNotMetered_isNotCounted_sayingWhy() {
        String fields = """
                "entitlements.maxTeamSize": {"default": 20}""";
        try (TollgateClient client = client(snapshot(1, fields))) {
            FieldReader reader = reader(client, "org_1", "PRO");

            Consumption teamSize = reader.consume(field(TEAM_SIZE), NO_ARGS, 1, 7);
            Consumption unknown = reader.consume(99, NO_ARGS, 1, 7);

            assertThat(teamSize)
                    .isEqualTo(Consumption.notCounted(
                            20,
                            1,
                            Reason.ofDefault(),
                            "entitlements.maxTeamSize is not @metered, so its usage is not counted"));
            assertThat(unknown)
                    .isEqualTo(Consumption.notCounted(
                            7,
                            1,
                            Reason.fallback(FallbackCause.UNKNOWN_FIELD, "the schema has no field with index 99"),
                            "the field with index 99 is not @metered, so its usage is not counted"));
        }
    }

    @Test
    void consume_inAClientWhoseSchemaHasNoMeteredField_isNotCounted_sayingWhy() {
        Schema seed = SeedEvaluationTest.seedSchema();
        try (TollgateClient client =
                TollgateClient.builder(seed).logs(LogOptions.disabled()).build()) {
            client.loadSnapshot(
                    """
                    {"format": 1, "revision": 1, "schemaHash": "%s",
                     "fields": {"entitlements.maxTeamSize": {"default": 20}}}"""
                            .formatted(seed.hash()));
            FieldReader reader = ApiAccess.bind(
                    client,
                    DynamicInput.context(
                            seed, Map.of("organization", Map.of("id", "o", "plan", "PRO"), "user", Map.of("id", "u"))));

            Consumption answer =
                    reader.consume(ApiAccess.model(seed).fieldIndex("entitlements.maxTeamSize"), NO_ARGS, 1, 7);

            assertThat(answer)
                    .isEqualTo(Consumption.notCounted(
                            20,
                            1,
                            Reason.ofDefault(),
                            "entitlements.maxTeamSize is not @metered, so its usage is not counted"));
        }
    }

    @Test
    void tryConsume_ofANewKeyWhenTheMeterIsFull_isAllowedAndNotCounted_untilTheNextPeriod() {
        MutableClock clock = new MutableClock();
        try (TollgateClient client = TollgateClient.builder(SCHEMA)
                .clock(clock)
                .logs(LogOptions.disabled())
                .maxMeteredKeys(2)
                .build()) {
            client.loadSnapshot(requestsSnapshot());
            requests(client, "org_a", "PRO", "search").tryConsume(1, 50);
            requests(client, "org_b", "PRO", "search").tryConsume(1, 50);

            Consumption third = requests(client, "org_c", "PRO", "search").tryConsume(1, 50);
            Consumption known = requests(client, "org_a", "PRO", "export").tryConsume(1, 50);
            Consumption otherField = MeteredLimit.of(reader(client, "org_c", "PRO"), field(SEATS), NO_ARGS)
                    .tryConsume(1, 50);
            clock.set(TOMORROW);
            Consumption nextPeriod = requests(client, "org_c", "PRO", "search").tryConsume(1, 50);

            assertThat(third)
                    .isEqualTo(Consumption.notCounted(
                            3,
                            1,
                            Reason.rule("pro"),
                            "the meter of entitlements.maxApiRequestsPerDay counts as many keys (or argument"
                                    + " combinations of this key) in this period as it may; usage of new ones is not"
                                    + " counted"));
            assertThat(known.status())
                    .as("a key already counted gets new argument values")
                    .isEqualTo(ALLOWED);
            assertThat(otherField.status()).as("each field has its own keys").isEqualTo(ALLOWED);
            assertThat(nextPeriod.status()).isEqualTo(ALLOWED);
            assertThat(nextPeriod.used()).isEqualTo(1);
        }
    }

    @Test
    void maxMeteredKeys_notPositive_isRefused() {
        TollgateClient.Builder builder = TollgateClient.builder(SCHEMA);

        IllegalArgumentException zero =
                catchThrowableOfType(IllegalArgumentException.class, () -> builder.maxMeteredKeys(0));

        assertThat(zero).hasMessage("maxMeteredKeys must be positive, was 0");
    }

    // ---- concurrency ----

    /** Twenty rounds, each on a fresh key that eight threads start on together, so that they race to count it. */
    @Test
    void tryConsume_fromManyThreadsOnOneKey_grantsExactlyTheHardLimit() throws Exception {
        String thousand = snapshot(1, "\"entitlements.maxApiRequestsPerDay\": {\"default\": 1000}");
        try (TollgateClient client = client(thousand)) {
            List<Long> totals = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                String organization = "org_" + round;
                List<Long> granted = hammer(8, 250, thread -> requests(client, organization, "FREE", "search"), 1);
                totals.add(granted.stream().mapToLong(Long::longValue).sum());
            }

            assertThat(totals).containsOnly(1000L);
            assertThat(requests(client, "org_7", "FREE", "search").usage(0).used())
                    .isEqualTo(1000);
        }
    }

    @Test
    void tryConsume_fromManyThreadsOnManyKeysAndArguments_grantsEachExactlyItsLimit() throws Exception {
        String thousand = snapshot(1, "\"entitlements.maxApiRequestsPerDay\": {\"default\": 1000}");
        try (TollgateClient client = client(thousand)) {
            AtomicLong[] perKey = new AtomicLong[8];
            for (int i = 0; i < perKey.length; i++) {
                perKey[i] = new AtomicLong();
            }
            ExecutorService threads = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            try {
                for (int t = 0; t < 8; t++) {
                    int offset = t;
                    done.add(threads.submit(() -> {
                        start.await();
                        for (int i = 0; i < 2_000; i++) {
                            int k = (i + offset) % perKey.length; // org_0..3 with endpoints a and b
                            Consumption c = requests(client, "org_" + (k / 2), "FREE", k % 2 == 0 ? "a" : "b")
                                    .tryConsume(1, 0);
                            if (c.status() == ALLOWED) {
                                perKey[k].incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : done) {
                    future.get(30, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }

            assertThat(perKey).extracting(AtomicLong::get).containsOnly(1000L);
        }
    }

    /**
     * With the log pipeline moving usage from pending to in flight to accepted every millisecond, concurrent consumers
     * still never pass the limit together, and what the batches report adds up to what was granted.
     */
    @Test
    void tryConsume_fromManyThreadsWhileUsageIsReportedEveryMillisecond_neverGrantsPastTheLimit() throws Exception {
        RecordingSink sink = new RecordingSink();
        LogOptions logs = LogOptions.builder()
                .sink(sink)
                .flushInterval(Duration.ofMillis(5))
                .usageInterval(Duration.ofMillis(1))
                .build();
        try (TollgateClient client = TollgateClient.builder(SCHEMA)
                .clock(new MutableClock())
                .logs(logs)
                .build()) {
            client.loadSnapshot(snapshot(1, "\"entitlements.maxApiRequestsPerDay\": {\"default\": 1000}"));

            List<Long> granted = hammer(8, 400, thread -> requests(client, "org_1", "FREE", "search"), 3);
            long byThreads = granted.stream().mapToLong(Long::longValue).sum();
            long toppedUp = 0;
            MeteredLimit search = requests(client, "org_1", "FREE", "search");
            while (search.tryConsume(1, 0).status() == ALLOWED) {
                toppedUp++;
            }
            client.flushLogs().get(5, TimeUnit.SECONDS);

            assertThat(byThreads).isLessThanOrEqualTo(1000).isGreaterThan(900);
            assertThat(byThreads + toppedUp).isEqualTo(1000);
            assertThat(search.usage(0).used()).isEqualTo(1000);
            assertThat(sink.batches.stream()
                            .flatMap(b -> b.usage().stream())
                            .mapToLong(LogBatch.UsageDelta::amount)
                            .sum())
                    .isEqualTo(1000);
            assertThat(sink.batches).as("usage went out in several batches").hasSizeGreaterThan(1);
        }
    }

    /**
     * {@code threads} threads, started together, each call {@code attempts} times {@code tryConsume} of an amount
     * from 1 to {@code maxAmount}; returns what each thread was granted.
     */
    private static List<Long> hammer(int threads, int attempts, IntFunction<MeteredLimit> limit, int maxAmount)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Long> task = () -> {
                    MeteredLimit meter = limit.apply(thread);
                    start.await();
                    long granted = 0;
                    for (int i = 0; i < attempts; i++) {
                        int amount = 1 + (i + thread) % maxAmount;
                        Consumption c = meter.tryConsume(amount, 0);
                        if (c.status() == ALLOWED) {
                            granted += amount;
                        } else if (c.status() != DENIED) {
                            throw new AssertionError("unexpected " + c);
                        }
                    }
                    return granted;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            List<Long> granted = new ArrayList<>();
            for (Future<Long> result : results) {
                granted.add(result.get(30, TimeUnit.SECONDS));
            }
            return granted;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void consumption_isPinnedToTheClockOfTheClient_notTheSystemClock() {
        MutableClock clock = new MutableClock(Instant.parse("2031-05-17T09:00:00Z"));
        try (TollgateClient client = client(clock, requestsSnapshot())) {
            Consumption c = requests(client, "org_1", "PRO", "search").tryConsume(1, 50);

            assertThat(c.resetsAt()).isEqualTo(Instant.parse("2031-05-18T00:00:00Z"));
        }
    }
}
