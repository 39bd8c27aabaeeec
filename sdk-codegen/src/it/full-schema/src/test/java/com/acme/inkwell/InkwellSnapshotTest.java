package com.acme.inkwell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.inkwell.flags.AiModel;
import com.acme.inkwell.flags.ClientApp;
import com.acme.inkwell.flags.Context;
import com.acme.inkwell.flags.ExportFormat;
import com.acme.inkwell.flags.Flags;
import com.acme.inkwell.flags.Inkwell;
import com.acme.inkwell.flags.Member;
import com.acme.inkwell.flags.Platform;
import com.acme.inkwell.flags.Region;
import com.acme.inkwell.flags.Role;
import com.acme.inkwell.flags.Tier;
import com.acme.inkwell.flags.Workspace;
import dev.tollgate.EvaluationDetail;
import dev.tollgate.LoadResult;
import dev.tollgate.Reason;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generated API against a snapshot written for this schema. */
class InkwellSnapshotTest {
    private static final Inkwell INKWELL = Inkwell.create();

    @BeforeAll
    static void loadSnapshot() {
        LoadResult result = INKWELL.loadSnapshotResource("inkwell-snapshot.json");
        assertTrue(result.installed());
        assertTrue(result.schemaHashMatches(), "the snapshot's hash is the generated schema's");
    }

    private static Flags flags(String workspace, Tier tier, Role role, Platform platform) {
        Context.Builder context = Context.builder()
                .workspace(Workspace.builder().id(workspace).tier(tier).seats(12).country("DE").build())
                .member(Member.builder().id("m1").role(role).groups(List.of("design")).build());
        if (platform != null) {
            context.client(ClientApp.builder().platform(platform).version(42).build());
        }
        return INKWELL.root(context.build());
    }

    @Test
    void scalarsFollowSegmentsRulesAndOverrides() {
        assertEquals(25, flags("ws_1", Tier.STARTER, Role.EDITOR, null).documents().maxAttachmentMb(1));
        assertEquals(250, flags("ws_1", Tier.TEAM, Role.EDITOR, null).documents().maxAttachmentMb(1));
        assertEquals(2048, flags("ws_big", Tier.STARTER, Role.EDITOR, null).documents().maxAttachmentMb(1));
        assertEquals(365, flags("ws_1", Tier.BUSINESS, Role.EDITOR, null).documents().versionHistoryDays(1));
        assertTrue(flags("ws_1", Tier.STARTER, Role.ADMIN, null).documents().publicSharing(false));
        assertFalse(flags("ws_1", Tier.STARTER, Role.VIEWER, null).documents().publicSharing(true));
    }

    @Test
    void listsOfEnumsAndStrings() {
        assertEquals(
                List.of(ExportFormat.PDF, ExportFormat.DOCX, ExportFormat.MARKDOWN),
                flags("ws_1", Tier.TEAM, Role.EDITOR, null).documents().exportFormats(List.of()));
        assertEquals(List.of(ExportFormat.PDF), flags("ws_1", Tier.STARTER, Role.EDITOR, null).documents().exportFormats(List.of()));
        assertEquals(List.of("blank"), flags("ws_1", Tier.STARTER, Role.EDITOR, Platform.IOS).documents().templates(List.of()));
        assertEquals(
                List.of("blank", "meeting-notes"),
                flags("ws_1", Tier.STARTER, Role.EDITOR, Platform.WEB).documents().templates(List.of()));
        assertThrows(UnsupportedOperationException.class, () -> flags("ws_1", Tier.STARTER, Role.EDITOR, null)
                .documents()
                .templates(List.of())
                .add("mine"));
    }

    @Test
    void argumentsAndNestedObjects() {
        Flags flags = flags("ws_1", Tier.TEAM, Role.EDITOR, null);
        assertEquals(50.5, flags.documents().storageGb(Region.EU, 0.0));
        assertEquals(10.0, flags.documents().storageGb(Region.US, 0.0));
        assertEquals(5, flags.documents().collaboration().maxEditors(1));
        assertTrue(flags.documents().collaboration().comments(false));
        assertEquals(0, flags.documents().collaboration().mentionsPerDay(Role.VIEWER, -1));
        assertEquals(20, flags.documents().collaboration().mentionsPerDay(Role.EDITOR, -1));
        assertTrue(flags.integration("slack").enabled(false));
        assertFalse(flags.integration("jira").enabled(true));
        assertEquals(List.of("repo", "issues"), flags.integration("github").scopes(List.of("none")));
        assertEquals(List.of(), flags.integration("slack").scopes(List.of("none")));
        assertEquals(15, flags.integration("jira").syncIntervalMinutes(60));
    }

    @Test
    @SuppressWarnings("deprecation")
    void objectValuesProjectToTheirFields() {
        assertEquals(AiModel.LARGE, flags("ws_1", Tier.BUSINESS, Role.EDITOR, null).ai().model(AiModel.SMALL));
        assertEquals(10000, flags("ws_1", Tier.BUSINESS, Role.EDITOR, null).ai().monthlyCredits(0));
        assertEquals(AiModel.SMALL, flags("ws_1", Tier.TEAM, Role.EDITOR, null).ai().model(AiModel.LARGE));
        assertFalse(flags("ws_1", Tier.TEAM, Role.EDITOR, null).ai().summaries(true));
    }

    @Test
    void detailsCarryTheReason() {
        EvaluationDetail<Integer> detail =
                flags("ws_big", Tier.TEAM, Role.EDITOR, null).documents().maxAttachmentMbDetail(1);
        assertEquals(2048, detail.value());
        assertEquals(Reason.override("context.workspace.id=ws_big"), detail.reason());
        assertEquals(3, detail.revision());
        EvaluationDetail<List<ExportFormat>> formats =
                flags("ws_1", Tier.TEAM, Role.EDITOR, null).documents().exportFormatsDetail(List.of());
        assertEquals(Reason.rule("paid"), formats.reason());
    }

    @Test
    void inputsAreImmutableValuesWithBuilders() {
        Workspace workspace = Workspace.builder().id("ws_1").tier(Tier.TEAM).seats(3).build();
        assertNull(workspace.country());
        assertEquals(workspace, workspace.toBuilder().build());
        IllegalStateException missing =
                assertThrows(IllegalStateException.class, () -> Workspace.builder().id("ws_1").build());
        assertEquals("Workspace.tier, Workspace.seats are required but were not set", missing.getMessage());
    }
}
