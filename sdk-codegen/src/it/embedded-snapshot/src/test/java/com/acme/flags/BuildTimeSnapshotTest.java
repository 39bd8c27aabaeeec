package com.acme.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BuildTimeSnapshotTest {
    private static final Context PRO = Context.builder().organization("org_1", Plan.PRO).user("u1").build();

    @Test
    void create_loadsTheEmbeddedSnapshotBeforeAnythingElse() {
        Tollgate tollgate = Tollgate.create();

        assertTrue(tollgate.isReady());
        assertEquals(40, tollgate.revision());
        assertEquals(20, tollgate.root(PRO).entitlements().maxTeamSize(1));
        assertEquals("com/acme/flags/tollgate-snapshot.json", Tollgate.BUILD_TIME_SNAPSHOT_RESOURCE);
    }

    @Test
    void buildTimeSnapshotCanBeTurnedOff() {
        Tollgate tollgate = Tollgate.builder().buildTimeSnapshot(false).build();

        assertFalse(tollgate.isReady());
        assertEquals(1, tollgate.root(PRO).entitlements().maxTeamSize(1));
    }

    @Test
    void testKit_startsFromItsOwnValuesNotTheEmbeddedSnapshot() {
        TollgateTestKit kit = TollgateTestKit.builder().entitlements(e -> e.maxTeamSize(7)).build();

        assertEquals(7, kit.root(PRO).entitlements().maxTeamSize(1));
        assertEquals(1, kit.tollgate().revision());
    }
}
