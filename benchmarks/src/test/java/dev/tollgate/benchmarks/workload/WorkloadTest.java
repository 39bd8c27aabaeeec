package dev.tollgate.benchmarks.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void of_hundredThousand_hasThousandContextsOneInTenOverriddenSpreadOverTheTable() {
        Workload workload = Workload.of(100_000);

        List<RequestData> contexts = workload.contexts();
        long overridden = contexts.stream().filter(workload::isOverridden).count();
        Set<String> rows = new HashSet<>();
        contexts.stream().filter(workload::isOverridden).forEach(c -> rows.add(c.organizationId()));

        assertThat(contexts).hasSize(Workload.CONTEXTS);
        assertThat(overridden).isEqualTo(100);
        assertThat(rows).hasSize(100);
        assertThat(workload.overrides()).hasSize(100_000);
    }

    @Test
    void of_tenRows_overriddenContextsShareTheTenOrganizations() {
        Workload workload = Workload.of(10);

        long overridden =
                workload.contexts().stream().filter(workload::isOverridden).count();

        assertThat(overridden).isEqualTo(100);
        assertThat(workload.overrides()).hasSize(10);
    }

    @Test
    void of_sameSize_isDeterministic() {
        assertThat(Workload.of(1_000).contexts()).isEqualTo(Workload.of(1_000).contexts());
    }

    @Test
    void expected_overriddenOrganization_isItsRowValueWhateverThePlan() {
        Workload workload = Workload.of(10);
        Workload.Override row = workload.overrides().get(2);
        RequestData context = new RequestData(row.organizationId(), Plan.ENTERPRISE, "user_1");

        assertThat(workload.expected(Flag.MAX_TEAM_SIZE, context)).isEqualTo(500);
        assertThat(workload.expected(Flag.TEAM_ROLES_ENABLED, context)).isEqualTo(true);
    }

    @Test
    void expected_organizationWithoutRow_followsPlanThenDefault() {
        Workload workload = Workload.of(10);

        assertThat(workload.expected(Flag.MAX_TEAM_SIZE, new RequestData("org_none", Plan.ENTERPRISE, "u")))
                .isEqualTo(1_000);
        assertThat(workload.expected(Flag.MAX_TEAM_SIZE, new RequestData("org_none", Plan.PRO, "u")))
                .isEqualTo(20);
        assertThat(workload.expected(Flag.MAX_TEAM_SIZE, new RequestData("org_none", Plan.FREE, "u")))
                .isEqualTo(5);
        assertThat(workload.expected(Flag.VERSION_HISTORY_ENABLED, new RequestData("org_none", Plan.PRO, "u")))
                .isEqualTo(false);
    }

    @Test
    void overridesByValue_everyRowInExactlyOneGroup() {
        Workload workload = Workload.of(1_000);

        int rows = workload.overridesByValue(Flag.MAX_API_REQUESTS_PER_DAY).values().stream()
                .mapToInt(List::size)
                .sum();

        assertThat(rows).isEqualTo(1_000);
        assertThat(workload.overridesByValue(Flag.MAX_API_REQUESTS_PER_DAY))
                .containsOnlyKeys(5_000, 20_000, 200_000, 2_000_000);
    }
}
