package com.acme.inkwell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.acme.inkwell.flags.Context;
import com.acme.inkwell.flags.ExportFormat;
import com.acme.inkwell.flags.Flags;
import com.acme.inkwell.flags.Inkwell;
import com.acme.inkwell.flags.InkwellExtension;
import com.acme.inkwell.flags.Member;
import com.acme.inkwell.flags.Region;
import com.acme.inkwell.flags.Role;
import com.acme.inkwell.flags.Tier;
import com.acme.inkwell.flags.Workspace;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The typed test kit with enums, lists, arguments and nested objects. */
class InkwellTestKitTest {
    @RegisterExtension
    static final InkwellExtension flags = InkwellExtension.withValues(v -> v.documents(d -> d.maxAttachmentMb(10)
            .exportFormats(ExportFormat.PDF)
            .storageGb(Region.EU, 99.5)
            .collaboration(c -> c.maxEditors(2).mentionsPerDay(5).mentionsPerDay(Role.VIEWER, 0))));

    private static final Context CONTEXT = Context.builder()
            .workspace(Workspace.builder().id("ws_1").tier(Tier.STARTER).seats(1).build())
            .member(Member.builder().id("m1").role(Role.EDITOR).build())
            .build();

    @Test
    void baselineValues(Inkwell inkwell) {
        Flags root = inkwell.root(CONTEXT);
        assertEquals(10, root.documents().maxAttachmentMb(1));
        assertEquals(List.of(ExportFormat.PDF), root.documents().exportFormats(List.of()));
        assertEquals(99.5, root.documents().storageGb(Region.EU, 0.0));
        assertEquals(-1.0, root.documents().storageGb(Region.US, -1.0));
        assertEquals(2, root.documents().collaboration().maxEditors(1));
        assertEquals(0, root.documents().collaboration().mentionsPerDay(Role.VIEWER, -1));
        assertEquals(5, root.documents().collaboration().mentionsPerDay(Role.ADMIN, -1));
        assertEquals(-1, root.documents().versionHistoryDays(-1));
    }

    @Test
    void updatedValuesForOneTest() {
        flags.update(v -> v.integration("github", i -> i.enabled(true).scopes("repo")).documents(d -> d.maxAttachmentMb(500)));
        Flags root = flags.root(CONTEXT);
        assertEquals(500, root.documents().maxAttachmentMb(1));
        assertEquals(true, root.integration("github").enabled(false));
        assertEquals(false, root.integration("slack").enabled(false));
        assertEquals(List.of("repo"), root.integration("github").scopes(List.of()));
    }
}
