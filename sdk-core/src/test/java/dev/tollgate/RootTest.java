package dev.tollgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.internal.ApiAccess;
import dev.tollgate.testing.ConditionSpec;
import dev.tollgate.testing.SnapshotBuilder;
import dev.tollgate.testing.SplitSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RootTest {
    private static final Schema SCHEMA = Schema.parse(
            """
            input Context { tenant: String!  region: String  seats: Int }
            input Filter { kind: String!  tags: [String!] }
            enum Tier { BASIC GOLD }
            type Root { plan: Plan!  limits(region: String!): Limits!  tier: Tier!  regions: [String!]!  price: Float!  label: String! }
            type Plan { name: String!  quota(filter: Filter): Int! }
            type Limits { seats: Int!  storage: Storage! }
            type Storage { gigabytes: Int!  archived: Boolean! }
            """,
            "root-test.graphql");

    @Test
    void root_isPinnedToTheSnapshotCurrentWhenTaken() {
        TollgateClient client = SnapshotBuilder.forSchema(SCHEMA)
                .revision(1)
                .value("label", "one")
                .newClient();
        UntypedRoot before = client.root(context("acme"));

        SnapshotBuilder.forSchema(SCHEMA).revision(2).value("label", "two").installInto(client);

        assertThat(before.stringValue("label", "?")).isEqualTo("one");
        assertThat(before.revision()).isEqualTo(1);
        assertThat(client.root(context("acme")).stringValue("label", "?")).isEqualTo("two");
    }

    @Test
    void root_beforeAnySnapshot_returnsFallbackNotReady() {
        UntypedRoot root = TollgateClient.builder(SCHEMA).build().root(context("acme"));

        EvaluationDetail<Object> detail = root.detail("label", Map.of(), "fallback");

        assertThat(root.intValue("limits.seats", Map.of("region", "eu"), 3)).isEqualTo(3);
        assertThat(detail.value()).isEqualTo("fallback");
        assertThat(detail.reason())
                .isEqualTo(Reason.fallback(FallbackCause.NOT_READY, "no snapshot has been installed yet"));
        assertThat(detail.revision()).isZero();
    }

    @Test
    void objectValue_answersEveryDescendant_andLeafLogicComesFirst() {
        TollgateClient client = SnapshotBuilder.forSchema(SCHEMA)
                .field("limits", f -> f.rule(
                                "eu",
                                ConditionSpec.eq("args.region", "eu"),
                                Map.of("seats", 10, "storage", Map.of("gigabytes", 100, "archived", true)))
                        .defaultValue(Map.of("seats", 5, "storage", Map.of("gigabytes", 50, "archived", false))))
                .field(
                        "limits.storage.archived",
                        f -> f.rule("acme", ConditionSpec.eq("context.tenant", "acme"), false))
                .newClient();
        UntypedRoot acme = client.root(context("acme"));
        UntypedRoot other = client.root(context("other"));
        Map<String, ?> eu = Map.of("region", "eu");

        assertThat(other.intValue("limits.seats", eu, -1)).isEqualTo(10);
        assertThat(other.intValue("limits.storage.gigabytes", Map.of("region", "us"), -1))
                .isEqualTo(50);
        assertThat(other.booleanValue("limits.storage.archived", eu, false)).isTrue();
        assertThat(acme.booleanValue("limits.storage.archived", eu, true)).isFalse();
        assertThat(other.value("limits.storage", eu, null)).isEqualTo(Map.of("gigabytes", 100, "archived", true));
        assertThat(other.detail("limits.storage.gigabytes", eu, -1).reason()).isEqualTo(Reason.rule("eu"));
        assertThat(acme.detail("limits.storage.archived", eu, true).reason()).isEqualTo(Reason.rule("acme"));
        assertThat(other.detail("limits.storage.archived", eu, false).reason()).isEqualTo(Reason.rule("eu"));
    }

    @Test
    void typedAccessors_readEnumsListsFloatsAndStructuredArguments() {
        TollgateClient client = SnapshotBuilder.forSchema(SCHEMA)
                .value("tier", "GOLD")
                .value("regions", List.of("eu", "us"))
                .value("price", 9)
                .field("plan.quota", f -> f.rule("tagged", ConditionSpec.contains("args.filter.tags", "vip"), 1000)
                        .rule("reports", ConditionSpec.eq("args.filter.kind", "reports"), 10)
                        .defaultValue(1))
                .newClient();
        UntypedRoot root = client.root(context("acme"));

        assertThat(root.enumValue("tier", "BASIC")).isEqualTo("GOLD");
        assertThat(root.listValue("regions", List.of())).isEqualTo(List.of("eu", "us"));
        assertThat(root.floatValue("price", 0.5)).isEqualTo(9.0);
        assertThat(root.intValue("plan.quota", Map.of("filter", Map.of("kind", "reports")), -1))
                .isEqualTo(10);
        assertThat(root.intValue("plan.quota", Map.of("filter", Map.of("kind", "x", "tags", List.of("vip"))), -1))
                .isEqualTo(1000);
        assertThat(root.intValue("plan.quota", -1)).isEqualTo(1);
    }

    @Test
    void misuse_givesFallbacksWithTheCause() {
        TollgateClient client =
                SnapshotBuilder.forSchema(SCHEMA).value("label", "x").newClient();
        UntypedRoot root = client.root(context("acme"));

        assertThat(root.detail("nope", Map.of(), 0).reason())
                .isEqualTo(Reason.fallback(FallbackCause.UNKNOWN_FIELD, "the schema has no field nope"));
        assertThat(root.intValue("label", 7)).isEqualTo(7);
        assertThat(root.detail("plan.quota", Map.of("region", "eu"), 0).reason())
                .isEqualTo(Reason.fallback(FallbackCause.INVALID_ARGUMENTS, "plan.quota has no argument region"));
        assertThat(root.detail("limits.seats", Map.of(), 0).reason())
                .isEqualTo(Reason.fallback(
                        FallbackCause.INVALID_ARGUMENTS, "limits.seats(region): required String! is missing"));
        assertThat(root.detail("plan.quota", Map.of("filter", Map.of("kind", 3)), 0)
                        .reason())
                .isEqualTo(
                        Reason.fallback(FallbackCause.INVALID_ARGUMENTS, "plan.quota(filter).kind: 3 is not a String"));
        assertThat(ApiAccess.bind(client, context("acme")).intValue(99, new Object[0], 4))
                .isEqualTo(4);
    }

    /** Null arguments is misuse like wrong arguments: the fallback, never a NullPointerException. */
    @Test
    void nullArgs_giveTheFallbackWithInvalidArguments_fromEveryPathAccessor() {
        UntypedRoot root = SnapshotBuilder.forSchema(SCHEMA)
                .revision(3)
                .value("label", "x")
                .value("tier", "GOLD")
                .value("regions", List.of("eu", "us"))
                .value("price", 9)
                .value("plan.quota", 10)
                .field("limits.seats", f -> f.defaultValue(50))
                .field("limits.storage.archived", f -> f.defaultValue(false))
                .newClient()
                .root(context("acme"));

        assertThat(root.intValue("limits.seats", null, 5)).isEqualTo(5);
        assertThat(root.intValue("plan.quota", null, 5)).isEqualTo(5);
        assertThat(root.booleanValue("limits.storage.archived", null, true)).isTrue();
        assertThat(root.floatValue("price", null, 0.5)).isEqualTo(0.5);
        assertThat(root.stringValue("label", null, "fallback")).isEqualTo("fallback");
        assertThat(root.enumValue("tier", null, "BASIC")).isEqualTo("BASIC");
        assertThat(root.listValue("regions", null, List.of("fallback"))).isEqualTo(List.of("fallback"));
        assertThat(root.value("plan", null, "fallback")).isEqualTo("fallback");
        EvaluationDetail<Object> detail = root.detail("label", null, "fallback");
        assertThat(detail.value()).isEqualTo("fallback");
        assertThat(detail.reason())
                .isEqualTo(Reason.fallback(
                        FallbackCause.INVALID_ARGUMENTS,
                        "label: the arguments are null; pass Map.of() for a field without arguments"));
        assertThat(detail.revision()).isEqualTo(3);
        assertThat(root.detail("limits.seats", null, 5).reason())
                .isEqualTo(Reason.fallback(
                        FallbackCause.INVALID_ARGUMENTS,
                        "limits.seats: the arguments are null; pass Map.of() for a field without arguments"));
        assertThat(root.detail("nope", null, 0).reason())
                .isEqualTo(Reason.fallback(FallbackCause.UNKNOWN_FIELD, "the schema has no field nope"));
        assertThat(root.stringValue("label", Map.of(), "fallback")).isEqualTo("x");
    }

    @Test
    void split_withAbsentUnit_fallsBackWithMissingAttribute() {
        UntypedRoot root = SnapshotBuilder.forSchema(SCHEMA)
                .field(
                        "label",
                        f -> f.splitRule(
                                "rollout",
                                null,
                                SplitSpec.by("context.region")
                                        .seed("s")
                                        .arm("a", 50, "A")
                                        .defaultArm("b", "B")))
                .newClient()
                .root(context("acme"));

        EvaluationDetail<Object> detail = root.detail("label", Map.of(), "none");

        assertThat(detail.value()).isEqualTo("none");
        assertThat(detail.reason())
                .isEqualTo(Reason.fallback(
                        FallbackCause.MISSING_CONTEXT_ATTRIBUTE,
                        "split of rule \"rollout\" on label needs context.region, which is absent"));
    }

    @Test
    void root_rejectsAContextOfAnotherType() {
        TollgateClient client = TollgateClient.builder(SCHEMA).build();
        DynamicInput filter = DynamicInput.of(SCHEMA, "Filter", Map.of("kind", "x"));

        assertThatThrownBy(() -> client.root(filter))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a Context context but got Filter");
    }

    private static DynamicInput context(String tenant) {
        return DynamicInput.context(SCHEMA, Map.of("tenant", tenant));
    }
}
