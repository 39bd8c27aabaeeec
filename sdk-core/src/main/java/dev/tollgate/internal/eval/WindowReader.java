package dev.tollgate.internal.eval;

import static dev.tollgate.internal.eval.Problems.describe;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Reads the optional {@code from} and {@code until} of an override row or a rule: RFC 3339 instants with at most
 * millisecond precision, {@code until} after {@code from}. A problem is reported at the key's path.
 */
final class WindowReader {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final Problems problems;
    private boolean given;

    WindowReader(Problems problems) {
        this.problems = problems;
    }

    /** Whether some window read so far had a {@code from} or an {@code until}: then evaluation depends on the time. */
    boolean anyGiven() {
        return given;
    }

    /**
     * The window of {@code owner} as {@code {from, until}} in epoch milliseconds, open sides being {@link
     * Window#OPEN_FROM} and {@link Window#OPEN_UNTIL}; null after reporting a problem.
     */
    long[] window(JsonNode owner, Where where) {
        JsonNode fromNode = owner.get("from");
        JsonNode untilNode = owner.get("until");
        long from = fromNode == null ? Window.OPEN_FROM : instant(fromNode, where.child("from"));
        long until = untilNode == null ? Window.OPEN_UNTIL : instant(untilNode, where.child("until"));
        if ((fromNode != null && from == Rfc3339.INVALID) || (untilNode != null && until == Rfc3339.INVALID)) {
            return null; // Rfc3339.INVALID is Long.MIN_VALUE, like OPEN_FROM: only a given instant can be invalid
        }
        if (until <= from) {
            problems.add(
                    where.child("until"),
                    "until " + Instant.ofEpochMilli(until) + " is not after from " + Instant.ofEpochMilli(from)
                            + "; a window must not be empty");
            return null;
        }
        given |= fromNode != null || untilNode != null;
        return new long[] {from, until};
    }

    /** The instant in epoch milliseconds, or {@link Rfc3339#INVALID} after reporting a problem. */
    private long instant(JsonNode node, Where where) {
        String text = node.isTextual() ? node.textValue() : null;
        long second = text == null ? Rfc3339.INVALID : Rfc3339.epochSecond(text);
        if (second == Rfc3339.INVALID) {
            problems.add(
                    where,
                    "expected an RFC 3339 date-time such as \"2027-01-01T00:00:00Z\" but found " + describe(node));
            return Rfc3339.INVALID;
        }
        int nano = Rfc3339.nano(text);
        if (nano % NANOS_PER_MILLI != 0) {
            problems.add(
                    where,
                    "a window's instants have at most millisecond precision (three fraction digits) but found "
                            + describe(node));
            return Rfc3339.INVALID;
        }
        return second * 1_000L + nano / NANOS_PER_MILLI;
    }
}
