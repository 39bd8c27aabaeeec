package dev.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.DynamicInput;
import dev.tollgate.FallbackCause;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.LogOptions;
import dev.tollgate.Schema;
import dev.tollgate.TollgateClient;
import dev.tollgate.UntypedRoot;
import dev.tollgate.runtime.TypedClient;
import dev.tollgate.runtime.TypedClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link TypedTestKit} and {@link TypedTestKitBuilder} through subclasses shaped like a generated test kit. */
class TypedTestKitTest {
    static final Schema SEED = seedSchema();
    static final String MAX_TEAM_SIZE = "entitlements.maxTeamSize";
    static final String TEAM_ROLES = "entitlements.teamRolesEnabled";

    /** The entry point the kit installs into, as the generator writes it, minus the typed roots. */
    static final class SeedFlags extends TypedClient {
        private SeedFlags(TollgateClient client) {
            super(client, SEED);
        }

        UntypedRoot root(String organization) {
            return client().root(DynamicInput.context(
                    SEED,
                    Map.of("organization", Map.of("id", organization, "plan", "PRO"), "user", Map.of("id", "u1"))));
        }

        int maxTeamSize(String organization) {
            return root(organization).intValue(MAX_TEAM_SIZE, -1);
        }

        static final class Builder extends TypedClientBuilder<Builder> {
            Builder() {
                super(SEED);
            }

            SeedFlags build() {
                return new SeedFlags(clientBuilder().build());
            }
        }
    }

    /** The root's values, as the generator writes them. */
    static final class SeedValues {
        private final TestValues state;
        private final List<ConditionSpec> conditions;

        private SeedValues(TestValues state, List<ConditionSpec> conditions) {
            this.state = state;
            this.conditions = conditions;
        }

        SeedValues maxTeamSize(int value) {
            state.set(MAX_TEAM_SIZE, conditions, value);
            return this;
        }

        SeedValues teamRolesEnabled(boolean value) {
            state.set(TEAM_ROLES, conditions, value);
            return this;
        }

        /** What no generated setter does: a value of the wrong type, which the snapshot's validation rejects. */
        SeedValues maxTeamSizeText(String value) {
            state.set(MAX_TEAM_SIZE, conditions, value);
            return this;
        }

        SeedValues when(ConditionSpec condition, Consumer<SeedValues> values) {
            values.accept(new SeedValues(state, TestValues.with(conditions, condition)));
            return this;
        }
    }

    /** The kit, as the generator writes it. */
    static final class SeedKit extends TypedTestKit<SeedFlags, SeedValues, SeedKit> {
        private SeedKit(TestValues baseline) {
            super(
                    new SeedFlags.Builder().logs(LogOptions.disabled()).build(),
                    baseline,
                    state -> new SeedValues(state, List.of()));
        }

        static Builder builder() {
            return new Builder();
        }

        static SeedKit create() {
            return new SeedKit(new TestValues());
        }

        static final class Builder extends TypedTestKitBuilder<SeedValues, Builder> {
            private Builder() {
                super(SEED, state -> new SeedValues(state, List.of()));
            }

            Builder maxTeamSize(int value) {
                rootValues().maxTeamSize(value);
                return this;
            }

            SeedKit build() {
                return new SeedKit(copyValues());
            }
        }
    }

    @Test
    void create_installsRevisionOneWithoutLogic() {
        SeedKit kit = SeedKit.create();

        assertThat(kit.tollgate().revision()).isEqualTo(1);
        assertThat(kit.tollgate().isReady()).isTrue();
        assertThat(kit).hasToString("SeedKit[revision=1]");
        assertThat(kit.tollgate().maxTeamSize("org_1")).isEqualTo(-1);
        assertThat(kit.tollgate()
                        .root("org_1")
                        .detail(MAX_TEAM_SIZE, Map.of(), -1)
                        .reason()
                        .fallbackCause())
                .isEqualTo(FallbackCause.NO_LOGIC);
    }

    @Test
    void builder_valuesAreInstalledAsRevisionOne() {
        SeedKit.Builder builder = SeedKit.builder().maxTeamSize(8);

        assertThat(builder.values(v -> v.teamRolesEnabled(true))).isSameAs(builder);
        assertThat(builder.toJson())
                .contains("\"revision\" : 1", "\"" + MAX_TEAM_SIZE + "\" : {", "\"default\" : 8", "\"default\" : true");

        SeedKit kit = builder.build();

        assertThat(kit.tollgate().revision()).isEqualTo(1);
        assertThat(kit.tollgate().maxTeamSize("org_1")).isEqualTo(8);
        assertThat(kit.tollgate().root("org_1").booleanValue(TEAM_ROLES, false)).isTrue();
        assertThat(kit.snapshotJson()).isEqualTo(builder.toJson());
    }

    @Test
    void build_copiesTheValues_soLaterChangesToTheBuilderDoNotReachTheKit() {
        SeedKit.Builder builder = SeedKit.builder().maxTeamSize(8);
        SeedKit first = builder.build();

        builder.maxTeamSize(9);
        SeedKit second = builder.build();

        assertThat(first.tollgate().maxTeamSize("org_1")).isEqualTo(8);
        assertThat(second.tollgate().maxTeamSize("org_1")).isEqualTo(9);
        assertThat(second.tollgate()).isNotSameAs(first.tollgate());
    }

    @Test
    void update_changesOnTopOfTheCurrentValues_asANewRevisionOfTheSameInstance() {
        SeedKit kit = SeedKit.builder().maxTeamSize(8).build();
        SeedFlags tollgate = kit.tollgate();

        SeedKit updated = kit.update(v -> v.teamRolesEnabled(true))
                .update(v -> v.when(ConditionSpec.eq("context.organization.id", "org_42"), w -> w.maxTeamSize(99)));

        assertThat(updated).isSameAs(kit);
        assertThat(kit.tollgate()).isSameAs(tollgate);
        assertThat(tollgate.revision()).isEqualTo(3);
        assertThat(kit).hasToString("SeedKit[revision=3]");
        assertThat(tollgate.maxTeamSize("org_1")).isEqualTo(8);
        assertThat(tollgate.maxTeamSize("org_42")).isEqualTo(99);
        assertThat(tollgate.root("org_1").booleanValue(TEAM_ROLES, false)).isTrue();
        assertThat(kit.client()).isSameAs(tollgate.client());
    }

    @Test
    void reset_goesBackToTheBuiltValues_asANewRevision() {
        SeedKit kit = SeedKit.builder().maxTeamSize(8).build();
        kit.update(v -> v.maxTeamSize(3).teamRolesEnabled(true));

        assertThat(kit.reset()).isSameAs(kit);

        assertThat(kit.tollgate().revision()).isEqualTo(3);
        assertThat(kit.tollgate().maxTeamSize("org_1")).isEqualTo(8);
        assertThat(kit.tollgate().root("org_1").booleanValue(TEAM_ROLES, false)).isFalse();
        assertThat(kit.reset().tollgate().revision()).isEqualTo(4);
        assertThat(kit.tollgate().maxTeamSize("org_1")).isEqualTo(8);
    }

    @Test
    void snapshotJson_isTheInstalledSnapshot_andLoadsIntoAnotherClient() {
        SeedKit kit = SeedKit.builder().maxTeamSize(8).build();
        kit.update(v -> v.maxTeamSize(12));

        String json = kit.snapshotJson();

        assertThat(json).contains("\"revision\" : 2", "\"schemaHash\" : \"" + SEED.hash() + "\"", "\"default\" : 12");
        try (TollgateClient other =
                TollgateClient.builder(SEED).logs(LogOptions.disabled()).build()) {
            assertThat(other.loadSnapshot(json).revision()).isEqualTo(2);
        }
    }

    @Test
    void update_withValuesTheSchemaRejects_throwsTheSnapshotProblem() {
        SeedKit kit = SeedKit.builder().maxTeamSize(8).build();

        assertThatThrownBy(() -> kit.update(v -> v.maxTeamSizeText("eight")))
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining(MAX_TEAM_SIZE);
        assertThat(kit.tollgate().maxTeamSize("org_1")).isEqualTo(8);
        assertThat(kit).as("the rejected values were never installed").hasToString("SeedKit[revision=1]");
        assertThat(kit.snapshotJson())
                .contains("\"revision\" : 1", "\"default\" : 8")
                .doesNotContain("eight");

        kit.update(v -> v.teamRolesEnabled(true));

        assertThat(kit.tollgate().revision())
                .as("regression: the rejected values stayed and failed every later update")
                .isEqualTo(2);
        assertThat(kit.tollgate().maxTeamSize("org_1")).isEqualTo(8);
        assertThat(kit.tollgate().root("org_1").booleanValue(TEAM_ROLES, false)).isTrue();
    }

    @Test
    void builderSnapshot_addsRawLogicAfterTheTypedValues() {
        SeedKit.Builder builder = SeedKit.builder().maxTeamSize(8);

        assertThat(builder.snapshot(
                        s -> s.field(MAX_TEAM_SIZE, f -> f.override("context.organization.id", "org_42", 50))))
                .isSameAs(builder);
        SeedKit kit = builder.build();

        assertThat(kit.tollgate().maxTeamSize("org_42")).isEqualTo(50);
        assertThat(kit.tollgate().maxTeamSize("org_1")).isEqualTo(8);
        assertThat(kit.update(v -> v.maxTeamSize(9)).tollgate().maxTeamSize("org_42"))
                .as("the raw logic stays through updates")
                .isEqualTo(50);
        assertThat(kit.tollgate().maxTeamSize("org_1")).isEqualTo(9);
    }

    @Test
    void builder_withValuesTheSchemaRejects_failsToBuild() {
        SeedKit.Builder builder = SeedKit.builder().values(v -> v.maxTeamSizeText("eight"));

        assertThatThrownBy(builder::build)
                .isInstanceOf(InvalidSnapshotException.class)
                .hasMessageContaining(MAX_TEAM_SIZE);
    }

    static Schema seedSchema() {
        try (InputStream in = TypedTestKitTest.class.getResourceAsStream("/seed.graphql")) {
            return Schema.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "seed.graphql");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
