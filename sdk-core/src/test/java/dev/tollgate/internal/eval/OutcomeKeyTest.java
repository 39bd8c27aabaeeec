package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;

class OutcomeKeyTest {
    /** equals and hashCode are written by hand (a cold start would link the record's own): each component counts. */
    @Test
    void equalsAndHashCode_takeEveryComponent_andAllowNull() {
        assertThat(OutcomeKey.class.getRecordComponents())
                .extracting(RecordComponent::getName)
                .containsExactly("fieldPath", "label");
        OutcomeKey key = new OutcomeKey("entitlements.maxTeamSize", "rule:pro");

        assertThat(new OutcomeKey("entitlements.maxTeamSize", "rule:pro"))
                .isEqualTo(key)
                .hasSameHashCodeAs(key);
        assertThat(new OutcomeKey("entitlements.maxApiRequestsPerDay", "rule:pro"))
                .isNotEqualTo(key);
        assertThat(new OutcomeKey("entitlements.maxTeamSize", "default")).isNotEqualTo(key);
        assertThat(new OutcomeKey(null, null))
                .isEqualTo(new OutcomeKey(null, null))
                .isNotEqualTo(key);
        assertThat(key).isNotEqualTo(null).hasToString("entitlements.maxTeamSize rule:pro");
    }
}
