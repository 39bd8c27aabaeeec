package dev.tollgate.internal.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SplitHashTest {

    /** Published MurmurHash3_x86_32 vectors (seed 0): the streaming encoder must agree with the reference. */
    @ParameterizedTest
    @CsvSource({
        "'', 0",
        "hello, 0x248bfa47",
        "'Hello, world!', 0xc0363e43",
        "The quick brown fox jumps over the lazy dog, 0x2e4ff723"
    })
    void reference_matchesPublishedVectors(String input, String expected) {
        assertThat(reference(input.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Integer.parseUnsignedInt(expected.replace("0x", ""), 16));
    }

    @Test
    void murmur3_streamingUtf8_equalsReferenceOverEncodedBytes() {
        Random random = new Random(42);
        String[] samples = {"", "a", "ab", "abc", "abcd", "abcde", "é", "日本語", "emoji 😀 unit", "\uD800 lone surrogate"
        };
        for (String seed : samples) {
            for (String unit : samples) {
                assertThat(SplitHash.murmur3(seed, unit))
                        .as("seed %s unit %s", seed, unit)
                        .isEqualTo(reference((seed + "/" + unit).getBytes(StandardCharsets.UTF_8)));
            }
        }
        for (int i = 0; i < 2_000; i++) {
            String seed = randomString(random);
            String unit = randomString(random);
            assertThat(SplitHash.murmur3(seed, unit))
                    .isEqualTo(reference((seed + "/" + unit).getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void bucket_isUniformEnoughForPercentages() {
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++) {
            counts[SplitHash.bucket("rollout", "user_" + i) / 1_000]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(9_500, 10_500);
        }
    }

    private static String randomString(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(4);
            text.appendCodePoint(
                    switch (kind) {
                        case 0 -> 'a' + random.nextInt(26);
                        case 1 -> 0x80 + random.nextInt(0x780);
                        case 2 -> 0x800 + random.nextInt(0xd000 - 0x800);
                        default -> 0x10000 + random.nextInt(0x1000);
                    });
        }
        return text.toString();
    }

    /** A plain byte-array MurmurHash3_x86_32 with seed 0, written from the algorithm's description. */
    @SuppressWarnings("fallthrough")
    static int reference(byte[] data) {
        int h1 = 0;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int k1 = (data[4 * i] & 0xff)
                    | (data[4 * i + 1] & 0xff) << 8
                    | (data[4 * i + 2] & 0xff) << 16
                    | (data[4 * i + 3] & 0xff) << 24;
            k1 *= 0xcc9e2d51;
            k1 = Integer.rotateLeft(k1, 15);
            k1 *= 0x1b873593;
            h1 ^= k1;
            h1 = Integer.rotateLeft(h1, 13);
            h1 = h1 * 5 + 0xe6546b64;
        }
        int k1 = 0;
        int tail = blocks * 4;
        switch (data.length & 3) {
            case 3:
                k1 ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2:
                k1 ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                k1 ^= data[tail] & 0xff;
                k1 *= 0xcc9e2d51;
                k1 = Integer.rotateLeft(k1, 15);
                k1 *= 0x1b873593;
                h1 ^= k1;
                break;
            default:
                break;
        }
        h1 ^= data.length;
        h1 ^= h1 >>> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >>> 13;
        h1 *= 0xc2b2ae35;
        return h1 ^ h1 >>> 16;
    }
}
