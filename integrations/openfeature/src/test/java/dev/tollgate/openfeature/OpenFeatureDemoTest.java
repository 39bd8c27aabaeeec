package dev.tollgate.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OpenFeatureDemoTest {
    @Test
    void demo_printsValueVariantAndReason_fromTheTeamServiceSnapshotFile() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        OpenFeatureDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo(String.join(
                        System.lineSeparator(),
                        "org_acme (PRO): value=20 variant=pro reason=TARGETING_MATCH revision=1",
                        "org_initech (FREE): value=50 variant=override reason=TARGETING_MATCH revision=1",
                        "org_umbrella (FREE): value=5 variant=default reason=DEFAULT revision=1",
                        ""));
    }
}
