package dev.tollgate.internal.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * A semantic version as semver.org 2.0.0 defines it ({@code 1.4.0}, {@code 2.0.0-rc.1}, {@code 1.0.0+build.5}), parsed
 * once from an operand, which strings are then compared to by precedence without allocating.
 *
 * <p>Precedence: major, minor and patch compare numerically; a pre-release is lower than its release; pre-release
 * identifiers compare left to right, numeric ones numerically, others in ASCII order, a numeric one lower than a
 * non-numeric one, and a longer list higher when all before are equal; build metadata is ignored. The grammar is strict:
 * no {@code v} prefix, no missing minor or patch, no leading zeros in numeric identifiers, no empty identifiers.
 * Numbers of any length compare correctly: without leading zeros, the longer is the larger.
 */
final class SemanticVersion {
    /** What {@link #orderOf(String)} answers for text that is not a semantic version. */
    static final int INVALID = Integer.MIN_VALUE;

    private final String text;
    /** Major, minor and patch, then the pre-release identifiers; build metadata is not kept. */
    private final String[] identifiers;

    private SemanticVersion(String text, String[] identifiers) {
        this.text = text;
        this.identifiers = identifiers;
    }

    /** The version {@code text} spells, or {@code null} if it is not a semantic version. */
    static SemanticVersion parse(String text) {
        if (!isValid(text)) {
            return null;
        }
        List<String> identifiers = new ArrayList<>();
        int i = 0;
        for (int k = 0; k < 3; k++) {
            int end = digitsEnd(text, i);
            identifiers.add(text.substring(i, end));
            i = end + 1;
        }
        if (i - 1 < text.length() && text.charAt(i - 1) == '-') {
            for (int end = preReleaseEnd(text, i); ; end = preReleaseEnd(text, i)) {
                identifiers.add(text.substring(i, end));
                if (end == text.length() || text.charAt(end) != '.') {
                    break;
                }
                i = end + 1;
            }
        }
        return new SemanticVersion(text, identifiers.toArray(new String[0]));
    }

    /**
     * Compares the precedence of {@code other} to this version's: negative, zero or positive as it is lower, equal or
     * higher; {@link #INVALID} if it is not a semantic version. Allocates nothing.
     */
    int orderOf(String other) {
        if (!isValid(other)) {
            return INVALID;
        }
        int i = 0;
        for (int k = 0; k < 3; k++) {
            int end = digitsEnd(other, i);
            int order = compareIdentifiers(other, i, end, identifiers[k]);
            if (order != 0) {
                return order;
            }
            i = end + 1;
        }
        boolean preRelease = i - 1 < other.length() && other.charAt(i - 1) == '-';
        if (!preRelease || identifiers.length == 3) {
            return Boolean.compare(identifiers.length > 3, preRelease);
        }
        return comparePreRelease(other, i);
    }

    /** Compares the pre-release of {@code other}, which starts at {@code start}, to this version's. */
    private int comparePreRelease(String other, int start) {
        int i = start;
        for (int k = 3; ; k++) {
            if (k == identifiers.length) {
                return 1;
            }
            int end = preReleaseEnd(other, i);
            int order = compareIdentifiers(other, i, end, identifiers[k]);
            if (order != 0) {
                return order;
            }
            if (end == other.length() || other.charAt(end) != '.') {
                return k + 1 == identifiers.length ? 0 : -1;
            }
            i = end + 1;
        }
    }

    /** Compares {@code text[start, end)} to {@code identifier} by semver's rules for one identifier. */
    private static int compareIdentifiers(String text, int start, int end, String identifier) {
        boolean numeric = digitsEnd(text, start) == end;
        boolean otherNumeric = digitsEnd(identifier, 0) == identifier.length();
        if (numeric != otherNumeric) {
            return numeric ? -1 : 1;
        }
        int length = end - start;
        if (numeric && length != identifier.length()) {
            return Integer.compare(length, identifier.length());
        }
        for (int i = 0; i < Math.min(length, identifier.length()); i++) {
            int order = Character.compare(text.charAt(start + i), identifier.charAt(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(length, identifier.length());
    }

    /** Whether {@code text} is a semantic version: core, optional {@code -} pre-release, optional {@code +} build. */
    static boolean isValid(String text) {
        int i = 0;
        for (int k = 0; k < 3; k++) {
            int end = digitsEnd(text, i);
            if (end == i || (text.charAt(i) == '0' && end - i > 1)) {
                return false;
            }
            i = end;
            if (k < 2) {
                if (i == text.length() || text.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        if (i < text.length() && text.charAt(i) == '-') {
            i = identifiersEnd(text, i + 1, true);
        }
        if (i >= 0 && i < text.length() && text.charAt(i) == '+') {
            i = identifiersEnd(text, i + 1, false);
        }
        return i == text.length();
    }

    /**
     * The end of the dot-separated identifiers from {@code i}, or -1 if one is empty or, in a pre-release, numeric with a
     * leading zero.
     */
    private static int identifiersEnd(String text, int i, boolean preRelease) {
        while (true) {
            int start = i;
            boolean numeric = true;
            for (; i < text.length() && isIdentifierChar(text.charAt(i)); i++) {
                numeric &= isDigit(text.charAt(i));
            }
            if (i == start || (preRelease && numeric && text.charAt(start) == '0' && i - start > 1)) {
                return -1;
            }
            if (i == text.length() || text.charAt(i) != '.') {
                return i;
            }
            i++;
        }
    }

    /** The end of the pre-release identifier at {@code i}: the next {@code .} or {@code +}, or the end. */
    private static int preReleaseEnd(String text, int i) {
        while (i < text.length() && isIdentifierChar(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int digitsEnd(String text, int i) {
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isIdentifierChar(char c) {
        return isDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    @Override
    public String toString() {
        return text;
    }
}
