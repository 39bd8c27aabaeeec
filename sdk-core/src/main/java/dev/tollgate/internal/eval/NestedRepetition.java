package dev.tollgate.internal.eval;

/**
 * The largest product of nested counted repetitions in a regular expression in RE2 syntax: 10 for {@code a{10}}, 1,000
 * for {@code (a{10}){100}}. RE2/J expands counted repetitions when it compiles, so its program grows with this product:
 * {@code ((a{1000}){1000}){1000}}, 23 characters, would take more memory than any heap. RE2 itself refuses a product
 * over {@link #LIMIT}; RE2/J checks each count alone, so snapshots are checked with this first.
 *
 * <p>A scan, not a parser: it follows groups, escapes ({@code \Q...\E}, {@code \p{..}}, {@code \x{..}}) and character
 * classes well enough to find every {@code {n}}, {@code {n,}} and {@code {n,m}} and the group it applies to. A pattern
 * it misreads is still compiled by RE2/J, which reports syntax errors itself.
 */
final class NestedRepetition {
    /** The largest product RE2 accepts. */
    static final int LIMIT = 1_000;

    private final String pattern;
    private int at;
    private long largestCount;

    private NestedRepetition(String pattern) {
        this.pattern = pattern;
    }

    /**
     * What a scan found: the largest product of nested counts (saturating at {@code Long.MAX_VALUE}) and the largest
     * single count.
     */
    record Result(long product, long largestCount) {
        /**
         * Whether the product is over the limit although every count is within it: RE2/J rejects a single count over
         * the limit itself, cheaply, but expands nested ones.
         */
        boolean tooLarge() {
            return product > LIMIT && largestCount <= LIMIT;
        }
    }

    static Result scan(String pattern) {
        NestedRepetition scan = new NestedRepetition(pattern);
        long largest = 1;
        while (scan.at < pattern.length()) {
            largest = Math.max(largest, scan.group()); // past an unbalanced ')', which RE2/J refuses anyway
        }
        return new Result(largest, scan.largestCount);
    }

    /** Scans up to the end of the current group (or the pattern); returns the largest product inside it. */
    private long group() {
        long largest = 1;
        long lastAtom = 1;
        while (at < pattern.length()) {
            char c = pattern.charAt(at);
            if (c == ')') {
                at++;
                return largest;
            }
            if (c == '(') {
                at++;
                lastAtom = group();
            } else if (c == '{') {
                long count = count();
                if (count < 0) {
                    at++;
                    lastAtom = 1;
                    continue;
                }
                largestCount = Math.max(largestCount, count);
                lastAtom = multiply(lastAtom, count);
            } else if (c == '\\') {
                escape();
                lastAtom = 1;
            } else if (c == '[') {
                characterClass();
                lastAtom = 1;
            } else {
                at++;
                if (c != '*' && c != '+' && c != '?') {
                    lastAtom = 1;
                }
            }
            largest = Math.max(largest, lastAtom);
        }
        return largest;
    }

    /** At a '{': the repetition's upper count ({@code n} of {@code {n,}}), consumed; or -1 when it is a literal brace. */
    private long count() {
        int i = at + 1;
        int start = i;
        while (i < pattern.length() && Character.isDigit(pattern.charAt(i))) {
            i++;
        }
        if (i == start || i == pattern.length()) {
            return -1;
        }
        long low = parse(start, i);
        long high = low;
        if (pattern.charAt(i) == ',') {
            int upper = ++i;
            while (i < pattern.length() && Character.isDigit(pattern.charAt(i))) {
                i++;
            }
            if (i > upper) {
                high = parse(upper, i);
            }
        }
        if (i == pattern.length() || pattern.charAt(i) != '}') {
            return -1;
        }
        at = i + 1;
        return Math.max(low, high);
    }

    private long parse(int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = multiply(value, 10) + (pattern.charAt(i) - '0');
            if (value > Integer.MAX_VALUE) {
                return Integer.MAX_VALUE;
            }
        }
        return value;
    }

    private void escape() {
        at++;
        if (at >= pattern.length()) {
            return;
        }
        char c = pattern.charAt(at++);
        if (c == 'Q') {
            int end = pattern.indexOf("\\E", at);
            at = end < 0 ? pattern.length() : end + 2;
        } else if ((c == 'p' || c == 'P' || c == 'x') && at < pattern.length() && pattern.charAt(at) == '{') {
            int end = pattern.indexOf('}', at);
            at = end < 0 ? pattern.length() : end + 1;
        }
    }

    private void characterClass() {
        at++;
        if (at < pattern.length() && pattern.charAt(at) == '^') {
            at++;
        }
        if (at < pattern.length() && pattern.charAt(at) == ']') {
            at++;
        }
        while (at < pattern.length()) {
            char c = pattern.charAt(at);
            if (c == '\\') {
                escape();
            } else if (c == '[' && pattern.startsWith("[:", at)) {
                int end = pattern.indexOf(":]", at + 2);
                at = end < 0 ? at + 1 : end + 2;
            } else {
                at++;
                if (c == ']') {
                    return;
                }
            }
        }
    }

    private static long multiply(long a, long b) {
        long product = a * b;
        return (a != 0 && product / a != b) || product < 0 ? Long.MAX_VALUE : product;
    }
}
