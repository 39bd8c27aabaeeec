package dev.tollgate.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The cross-module conformance suite: every case of every file under {@code src/test/resources/conformance} as one
 * dynamic test, named {@code <file>: <case>}.
 */
class ConformanceCasesTest {

    @TestFactory
    Stream<DynamicTest> conformanceCases() {
        List<CaseFile> files = CaseFile.loadAll();
        List<ConformanceCase> cases =
                files.stream().flatMap(file -> file.cases().stream()).toList();
        assertThat(files).as("case files").isNotEmpty();
        assertThat(cases.stream().map(ConformanceCase::displayName))
                .as("case names are unique")
                .doesNotHaveDuplicates();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.displayName(), c.source(), c::run));
    }
}
