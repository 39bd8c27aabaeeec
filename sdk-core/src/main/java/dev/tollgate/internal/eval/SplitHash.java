package dev.tollgate.internal.eval;

/**
 * The documented bucketing hash for percentage splits:
 *
 * <pre>bucket = unsigned(murmur3_x86_32(utf8(seed + "/" + unit), 0)) % 10000</pre>
 *
 * <p>MurmurHash3 (x86, 32-bit, seed 0) over the UTF-8 bytes of the split's seed, a slash and the unit's value (an
 * {@code Int} unit in decimal). Buckets run from 0 to 9999, one per hundredth of a percent. The bytes are encoded and
 * mixed on the fly, so hashing allocates nothing.
 */
public final class SplitHash {
    public static final int BUCKETS = 10_000;

    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private SplitHash() {}

    /** The bucket, 0 to 9999, of {@code unit} for a split seeded {@code seed}. */
    public static int bucket(String seed, String unit) {
        return (int) (Integer.toUnsignedLong(murmur3(seed, unit)) % BUCKETS);
    }

    /** MurmurHash3 x86 32-bit, seed 0, of the UTF-8 bytes of {@code seed + "/" + unit}. */
    public static int murmur3(String seed, String unit) {
        int h1 = 0;
        int block = 0;
        int filled = 0;
        int length = 0;
        int total = seed.length() + 1 + unit.length();
        for (int i = 0; i < total; i++) {
            int c = charAt(seed, unit, i);
            int bytes;
            int encoded;
            if (c < 0x80) {
                bytes = 1;
                encoded = c;
            } else if (c < 0x800) {
                bytes = 2;
                encoded = (0xc0 | c >> 6) | (0x80 | c & 0x3f) << 8;
            } else if (Character.isHighSurrogate((char) c)
                    && i + 1 < total
                    && Character.isLowSurrogate((char) charAt(seed, unit, i + 1))) {
                int cp = Character.toCodePoint((char) c, (char) charAt(seed, unit, ++i));
                bytes = 4;
                encoded = (0xf0 | cp >> 18)
                        | (0x80 | cp >> 12 & 0x3f) << 8
                        | (0x80 | cp >> 6 & 0x3f) << 16
                        | (0x80 | cp & 0x3f) << 24;
            } else {
                if (Character.isSurrogate((char) c)) {
                    c = '?';
                    bytes = 1;
                    encoded = c;
                } else {
                    bytes = 3;
                    encoded = (0xe0 | c >> 12) | (0x80 | c >> 6 & 0x3f) << 8 | (0x80 | c & 0x3f) << 16;
                }
            }
            for (int b = 0; b < bytes; b++) {
                block |= (encoded >>> (8 * b) & 0xff) << (8 * filled);
                filled++;
                length++;
                if (filled == 4) {
                    h1 = mixH1(h1, mixK1(block));
                    block = 0;
                    filled = 0;
                }
            }
        }
        if (filled > 0) {
            h1 ^= mixK1(block);
        }
        return fmix(h1 ^ length);
    }

    private static int charAt(String seed, String unit, int i) {
        int seedLength = seed.length();
        if (i < seedLength) {
            return seed.charAt(i);
        }
        return i == seedLength ? '/' : unit.charAt(i - seedLength - 1);
    }

    private static int mixK1(int k1) {
        k1 *= C1;
        k1 = Integer.rotateLeft(k1, 15);
        return k1 * C2;
    }

    private static int mixH1(int h1, int k1) {
        h1 ^= k1;
        h1 = Integer.rotateLeft(h1, 13);
        return h1 * 5 + 0xe6546b64;
    }

    private static int fmix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ h >>> 16;
    }
}
