package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Semantic versions per semver.org 2.0.0: the grammar, and precedence including pre-release identifiers. */
class SemanticVersionTest {

    /** The precedence example of semver.org 2.0.0, section 11, extended with numbers and build metadata. */
    private static final List<String> ASCENDING = List.of(
            "0.0.0",
            "0.9.9",
            "1.0.0-0",
            "1.0.0-0.0",
            "1.0.0-1",
            "1.0.0-2",
            "1.0.0-11",
            "1.0.0-A",
            "1.0.0-Alpha",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.2.0",
            "1.10.0",
            "2.0.0",
            "10.0.0",
            "18446744073709551616.0.0",
            "18446744073709551617.0.0");

    @Test
    void orderOf_followsSemverPrecedence_forEveryPair() {
        for (int i = 0; i < ASCENDING.size(); i++) {
            SemanticVersion operand = SemanticVersion.parse(ASCENDING.get(i));
            for (int j = 0; j < ASCENDING.size(); j++) {
                assertThat(Integer.signum(operand.orderOf(ASCENDING.get(j))))
                        .as("%s against %s", ASCENDING.get(j), ASCENDING.get(i))
                        .isEqualTo(Integer.compare(j, i));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "1.0.0+build.1,         1.0.0",
        "1.0.0-rc.1+build.1,    1.0.0-rc.1+exp.sha.5114f85",
        "1.0.0+20130313144700,  1.0.0+21AF26D3----117B344092BD",
    })
    void orderOf_ignoresBuildMetadata(String version, String operand) {
        assertThat(SemanticVersion.parse(operand).orderOf(version)).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "1",
                "1.2",
                "v1.2.3",
                "1.2.3.4",
                "01.2.3",
                "1.02.3",
                "1.2.03",
                "1.2.3-",
                "1.2.3-alpha..1",
                "1.2.3-01",
                "1.2.3-alpha.01",
                "1.2.3+",
                "1.2.3+build..1",
                "1.2.3-alpha_beta",
                "1.2.3 ",
                " 1.2.3",
                "-1.2.3",
                "1.2.3-+build",
                "1.2.3+build-rc+1",
                "1.2.x",
            })
    void invalidText_isNotAVersion_andDoesNotOrder(String text) {
        assertThat(SemanticVersion.isValid(text)).isFalse();
        assertThat(SemanticVersion.parse(text)).isNull();
        assertThat(SemanticVersion.parse("1.2.3").orderOf(text)).isEqualTo(SemanticVersion.INVALID);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0.0.0",
                "1.2.3-0",
                "1.2.3-0a",
                "1.2.3-00a",
                "1.2.3-alpha-1.x--y",
                "1.2.3+001",
                "1.2.3-rc.1+build.01",
                "999999999999999999999999.0.0",
            })
    void validText_isAVersion(String text) {
        assertThat(SemanticVersion.isValid(text)).isTrue();
        assertThat(SemanticVersion.parse(text)).hasToString(text);
        assertThat(SemanticVersion.parse(text).orderOf(text)).isZero();
    }
}
