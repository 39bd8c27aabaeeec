package dev.tollgate;

import dev.tollgate.internal.ApiAccess;
import dev.tollgate.runtime.FieldReader;
import dev.tollgate.runtime.MeteredLimit;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A schema with metered fields of every period and counting attribute kind, and the helpers the metering tests share:
 * snapshots, contexts, readers and a clock the test moves. Public for the tests of other packages.
 */
public final class MeteringFixtures {
    public static final String SDL =
            """
            input Context { organization: Organization  user: User  region: Region }
            input Organization { id: String  plan: Plan! }
            input User { id: String! }
            enum Plan { FREE PRO ENTERPRISE }
            enum Region { EU US }
            enum Format { CSV PDF }

            type Root { entitlements: Entitlements! }
            type Entitlements {
              maxTeamSize: Int!
              maxApiRequestsPerDay(endpoint: String!): Int! @metered(period: DAY, by: "context.organization.id")
              exportsPerHour(format: Format!): Int! @metered(period: HOUR, by: "context.region")
              seatsPerMonth: Int! @metered(period: MONTH, by: "context.user.id")
            }
            """;

    public static final Schema SCHEMA = Schema.parse(SDL, "metering.graphql");
    public static final String TEAM_SIZE = "entitlements.maxTeamSize";
    public static final String REQUESTS = "entitlements.maxApiRequestsPerDay";
    public static final String EXPORTS = "entitlements.exportsPerHour";
    public static final String SEATS = "entitlements.seatsPerMonth";

    /** Saturday 6 December 2026, mid-afternoon UTC: the day period runs from the 6th to the 7th. */
    public static final Instant NOW = Instant.parse("2026-12-06T15:42:17Z");

    public static final Instant TODAY = Instant.parse("2026-12-06T00:00:00Z");
    public static final Instant TOMORROW = Instant.parse("2026-12-07T00:00:00Z");

    private MeteringFixtures() {}

    /** A snapshot of {@link #SCHEMA} with {@code fields}, the members of its {@code fields} object. */
    public static String snapshot(long revision, String fields) {
        return """
                {"format": 1, "revision": %d, "schemaHash": "%s", "fields": {%s}}
                """
                .formatted(revision, SCHEMA.hash(), fields);
    }

    /** API requests: 3 a day for PRO organizations (rule {@code pro}), 1000 otherwise (default). */
    public static String requestsSnapshot() {
        return snapshot(
                1,
                """
                "entitlements.maxApiRequestsPerDay": {
                  "rules": [{"id": "pro", "if": {"attribute": "context.organization.plan", "op": "eq", "value": "PRO"},
                             "value": 3}],
                  "default": 1000}""");
    }

    /** The context of {@code organization} (null for none, with plan FREE) on {@code plan}, user u_1 in the EU. */
    public static DynamicInput context(String organization, String plan) {
        Map<String, Object> org = new HashMap<>();
        if (organization != null) {
            org.put("id", organization);
        }
        org.put("plan", plan);
        return DynamicInput.context(SCHEMA, Map.of("organization", org, "user", Map.of("id", "u_1"), "region", "EU"));
    }

    public static FieldReader reader(TollgateClient client, String organization, String plan) {
        return ApiAccess.bind(client, context(organization, plan));
    }

    public static int field(String path) {
        return ApiAccess.model(SCHEMA).fieldIndex(path);
    }

    /** {@code entitlements.maxApiRequestsPerDay(endpoint)} for {@code reader}, as generated code builds it. */
    public static MeteredLimit requests(FieldReader reader, String endpoint) {
        return MeteredLimit.of(reader, field(REQUESTS), new Object[] {endpoint});
    }

    /** {@code entitlements.maxApiRequestsPerDay(endpoint)} for a new root of {@code client}. */
    public static MeteredLimit requests(TollgateClient client, String organization, String plan, String endpoint) {
        return requests(reader(client, organization, plan), endpoint);
    }

    /** A clock the test sets and moves; starts at {@link #NOW}. */
    public static final class MutableClock extends Clock {
        private final AtomicLong millis;

        public MutableClock() {
            this(NOW);
        }

        public MutableClock(Instant start) {
            millis = new AtomicLong(start.toEpochMilli());
        }

        public void set(Instant instant) {
            millis.set(instant.toEpochMilli());
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the test clock is UTC");
        }
    }
}
