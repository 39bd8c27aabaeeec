package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Split bucketing vectors computed independently of the Java code, with a standalone MurmurHash3 x86_32 written in
 * Python and checked against published vectors ({@code murmur3_32("hello", 0) = 0x248bfa47}, {@code
 * murmur3_32("", 0) = 0}, and the other SMHasher/Wikipedia vectors): {@code bucket = unsigned(murmur3_x86_32(utf8(seed
 * + "/" + unit), 0)) % 10000}. The same buckets pick the expected arms in the conformance case file {@code splits.json}. The units
 * cover every tail length (0 to 3 bytes after the last block) and 2-, 3- and 4-byte UTF-8 characters.
 */
class SplitHashVectorsTest {

    static Stream<Arguments> vectors() {
        return Stream.of(
                Arguments.of("rollout-2024", "org_1", 0x6f5be149, 2425),
                Arguments.of("rollout-2024", "org_2", 0xb85ce17e, 4782),
                Arguments.of("rollout-2024", "org_3", 0xa8d197a6, 8134),
                Arguments.of("rollout-2024", "org_4", 0x1335254a, 58),
                Arguments.of("rollout-2024", "org_7", 0x767c4bec, 7388),
                Arguments.of("rollout-2024", "org_42", 0x333fd92f, 2383),
                Arguments.of("rollout-2024", "u-7", 0xc4cf9b74, 84),
                Arguments.of("rollout-2024", "/search", 0x58398dbf, 6847),
                Arguments.of("rollout-2024", "/export", 0xc460ad1b, 107),
                Arguments.of("exp", "", 0xecf3565f, 335),
                Arguments.of("exp", "Zürich", 0x8cb0526e, 5678),
                Arguments.of("exp", "東京", 0xb3915f56, 8790),
                Arguments.of("exp", "😀-user", 0xc6962839, 9465),
                Arguments.of("exp", "café☕", 0x17225971, 7089),
                Arguments.of("beta", "12345", 0x2c92f98c, 9644),
                Arguments.of("beta", "-7", 0xc1e1e86e, 7790),
                Arguments.of("beta", "0", 0x686b1065, 7013),
                Arguments.of("beta", "PRO", 0xca430688, 216),
                Arguments.of("säson", "org_1", 0xd295dc18, 6568));
    }

    @ParameterizedTest(name = "{0}/{1} -> {3}")
    @MethodSource("vectors")
    void murmur3_ofSeedSlashUnit_matchesIndependentImplementation(String seed, String unit, int hash, int bucket) {
        assertThat(Integer.toHexString(SplitHash.murmur3(seed, unit))).isEqualTo(Integer.toHexString(hash));
    }

    @ParameterizedTest(name = "{0}/{1} -> {3}")
    @MethodSource("vectors")
    void bucket_ofSeedAndUnit_matchesIndependentImplementation(String seed, String unit, int hash, int bucket) {
        assertThat(SplitHash.bucket(seed, unit)).isEqualTo(bucket);
    }
}
