package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NestedRepetitionTest {

    @Test
    void onlyNestingOverTheLimit_isTooLarge_singleCountsAreLeftToRe2j() {
        assertThat(NestedRepetition.scan("(a{10}){100}").tooLarge()).isFalse();
        assertThat(NestedRepetition.scan("(a{10}){101}").tooLarge()).isTrue();
        assertThat(NestedRepetition.scan("x{1001}").tooLarge())
                .as("RE2/J: invalid repeat count")
                .isFalse();
        assertThat(NestedRepetition.scan("(x{1001}){1000}").tooLarge()).isFalse();
        assertThat(NestedRepetition.scan("(x{2}){1000}").largestCount()).isEqualTo(1000);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiterString = " => ",
            textBlock =
                    """
            abc => 1
            a*b+c? => 1
            a{10} => 10
            a{2,7} => 7
            a{5,} => 5
            a{10}b{20} => 20
            (a{10}){100} => 1000
            (a{10}b{3}){100} => 1000
            ((a{1000}){1000}){1000} => 1000000000
            (?:x{20}|y{60}){20} => 1200
            (?i)(?P<n>a{3}){4} => 12
            [{]{3} => 3
            [a-z{}]{4} => 4
            []{]{6} => 6
            [[:alpha:]{]{6} => 6
            \\{100\\} => 1
            \\Q(a{10}){100}\\E{2} => 2
            \\p{Greek}{9} => 9
            \\x{41}{8} => 8
            a{ => 1
            a{x} => 1
            a{3 => 1
            (a{4})*{5} => 20
            a)((a{1000}){1000}) => 1000000
            ((a{99999999999}){99999999999}){99999999999} => 9223372036854775807
            """)
    void theLargestProductOfNestedCounts(String pattern, long expected) {
        assertThat(NestedRepetition.scan(pattern.strip()).product()).isEqualTo(expected);
    }
}
