package dev.tollgate.benchmarks.sdk;

import dev.tollgate.benchmarks.workload.Flag;
import dev.tollgate.benchmarks.workload.RequestData;
import dev.tollgate.benchmarks.workload.Workload;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an SDK against the workload before anything is timed: every flag on every context, through the pre-built
 * contexts, all four at once, and the per-request paths (one flag and four). A benchmark of an SDK that answers defaults is worthless, so
 * any difference fails the setup.
 */
public final class Correctness {
    private static final int SHOWN = 10;

    private Correctness() {}

    /** Throws {@link IllegalStateException} listing the first differences, if any. */
    public static void check(Evaluator sdk, Workload workload) {
        List<String> differences = new ArrayList<>();
        int answers = 0;
        for (int i = 0; i < Workload.CONTEXTS; i++) {
            RequestData context = workload.context(i);
            for (Flag flag : Flag.values()) {
                Object expected = workload.expected(flag, context);
                Object actual = answer(sdk, flag, i);
                answers++;
                if (!expected.equals(actual)) {
                    differences.add(flag.key() + " for " + context + ": expected " + expected + " but got " + actual);
                }
            }
            int packed = pack(workload, context);
            if (sdk.allFour(i) != packed) {
                differences.add("all four accessors for " + context + " differ from the single accessors");
            }
            if (sdk.request(context) != packed) {
                differences.add("the per-request path for " + context + " differs from the expected answers");
            }
            if (sdk.requestOne(context) != (Integer) workload.expected(Flag.MAX_TEAM_SIZE, context)) {
                differences.add("the one-flag per-request path for " + context + " differs from the expected answer");
            }
            answers += 3;
        }
        if (!differences.isEmpty()) {
            throw new IllegalStateException(sdk.name() + " (" + workload.overrideCount() + " overrides): "
                    + differences.size() + " of " + answers + " answers are wrong, first: "
                    + String.join("; ", differences.subList(0, Math.min(SHOWN, differences.size()))));
        }
    }

    private static Object answer(Evaluator sdk, Flag flag, int context) {
        return switch (flag) {
            case TEAM_ROLES_ENABLED -> sdk.teamRolesEnabled(context);
            case MAX_TEAM_SIZE -> sdk.maxTeamSize(context);
            case MAX_API_REQUESTS_PER_DAY -> sdk.maxApiRequestsPerDay(context);
            case VERSION_HISTORY_ENABLED -> sdk.versionHistoryEnabled(context);
        };
    }

    private static int pack(Workload workload, RequestData context) {
        return Answers.pack(
                (Boolean) workload.expected(Flag.TEAM_ROLES_ENABLED, context),
                (Integer) workload.expected(Flag.MAX_TEAM_SIZE, context),
                (Integer) workload.expected(Flag.MAX_API_REQUESTS_PER_DAY, context),
                (Boolean) workload.expected(Flag.VERSION_HISTORY_ENABLED, context));
    }
}
