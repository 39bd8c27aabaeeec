package dev.tollgate.delivery;

import static dev.tollgate.delivery.Fixtures.API_REQUESTS;
import static dev.tollgate.delivery.Fixtures.MAX_TEAM_SIZE;
import static dev.tollgate.delivery.Fixtures.SCHEMA;
import static dev.tollgate.delivery.Fixtures.TEAM_ROLES;
import static dev.tollgate.delivery.Fixtures.VERSION_HISTORY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.SnapshotChange;
import dev.tollgate.TollgateClient;
import dev.tollgate.testing.ConditionSpec;
import dev.tollgate.testing.SnapshotBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which field paths a snapshot change reports: their own logic, the enclosing object's, and the segments they use. */
class SnapshotChangeTest {
    private final BlockingQueue<SnapshotChange> changes = new LinkedBlockingQueue<>();
    private final TollgateClient client =
            TollgateClient.builder(SCHEMA).snapshotListener(changes::add).build();

    @AfterEach
    void close() {
        client.close();
    }

    private List<String> load(SnapshotBuilder snapshot) throws InterruptedException {
        client.loadSnapshot(snapshot.toJson());
        SnapshotChange change = changes.poll(5, TimeUnit.SECONDS);
        assertThat(change).as("a change event").isNotNull();
        return change.changedPaths();
    }

    private static SnapshotBuilder withSegment(long revision, ConditionSpec proSegment, int proTeamSize) {
        return SnapshotBuilder.forSchema(SCHEMA)
                .revision(revision)
                .segment("pro", proSegment)
                .field(MAX_TEAM_SIZE, f -> f.rule("pro", ConditionSpec.segment("pro"), proTeamSize)
                        .defaultValue(5))
                .value(TEAM_ROLES, true)
                .field(API_REQUESTS, f -> f.rule("search", ConditionSpec.eq("args.endpoint", "/search"), 10)
                        .defaultValue(100));
    }

    @Test
    void firstSnapshot_listsEveryPathWithLogic() throws InterruptedException {
        assertThat(load(withSegment(1, ConditionSpec.eq("context.organization.plan", "PRO"), 20)))
                .containsExactly(TEAM_ROLES, MAX_TEAM_SIZE, API_REQUESTS);
    }

    @Test
    void changedValue_listsOnlyThatPath() throws InterruptedException {
        load(withSegment(1, ConditionSpec.eq("context.organization.plan", "PRO"), 20));

        assertThat(load(withSegment(2, ConditionSpec.eq("context.organization.plan", "PRO"), 25)))
                .containsExactly(MAX_TEAM_SIZE);
    }

    @Test
    void changedSegment_listsThePathsThatUseIt() throws InterruptedException {
        load(withSegment(1, ConditionSpec.eq("context.organization.plan", "PRO"), 20));

        assertThat(load(withSegment(
                        2, ConditionSpec.in("context.organization.plan", List.of("PRO", "ENTERPRISE")), 20)))
                .containsExactly(MAX_TEAM_SIZE);
    }

    @Test
    void nestedSegment_changeReachesThroughTheOuterSegment() throws InterruptedException {
        SnapshotBuilder first = withSegment(1, ConditionSpec.segment("paid"), 20)
                .segment("paid", ConditionSpec.eq("context.organization.plan", "PRO"));
        SnapshotBuilder second = withSegment(2, ConditionSpec.segment("paid"), 20)
                .segment("paid", ConditionSpec.eq("context.organization.plan", "ENTERPRISE"));
        load(first);

        assertThat(load(second)).containsExactly(MAX_TEAM_SIZE);
    }

    @Test
    void objectLogic_listsTheObjectAndEveryFieldItAnswers() throws InterruptedException {
        Map<String, Object> defaults = Map.of(
                "teamRolesEnabled",
                false,
                "maxTeamSize",
                5,
                "maxApiRequestsPerDay",
                100,
                "versionHistoryEnabled",
                false);
        load(SnapshotBuilder.forSchema(SCHEMA)
                .revision(1)
                .value("entitlements", defaults)
                .value(TEAM_ROLES, true));

        List<String> changed = load(SnapshotBuilder.forSchema(SCHEMA)
                .revision(2)
                .value(
                        "entitlements",
                        Map.of(
                                "teamRolesEnabled",
                                false,
                                "maxTeamSize",
                                10,
                                "maxApiRequestsPerDay",
                                100,
                                "versionHistoryEnabled",
                                false))
                .value(TEAM_ROLES, true));

        assertThat(changed)
                .as("every field the object answers, but not teamRolesEnabled, whose own default always wins")
                .containsExactly("entitlements", MAX_TEAM_SIZE, API_REQUESTS, VERSION_HISTORY);
    }

    @Test
    void identicalLogic_underANewRevision_listsNothing() throws InterruptedException {
        load(withSegment(1, ConditionSpec.eq("context.organization.plan", "PRO"), 20));

        SnapshotChange change;
        client.loadSnapshot(withSegment(2, ConditionSpec.eq("context.organization.plan", "PRO"), 20)
                .toJson());
        change = changes.poll(5, TimeUnit.SECONDS);

        assertThat(change).isNotNull();
        assertThat(change.previousRevision()).isEqualTo(1);
        assertThat(change.revision()).isEqualTo(2);
        assertThat(change.changedPaths()).isEmpty();
        assertThat(change.source()).isEqualTo("manual");
    }
}
