package dev.tollgate.examples.spring;

import dev.tollgate.runtime.LimitCheck;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/** Team membership, in memory: organization and team id to the members in the order they joined. */
final class Teams {

    /** What an attempt to add a member did. */
    enum Outcome {
        ADDED,
        ALREADY_MEMBER,
        FULL
    }

    /** The outcome, the members after the attempt, and the size check that decided it (null for a member already in). */
    record Result(Outcome outcome, List<String> members, LimitCheck check) {}

    private final Map<String, Set<String>> members = new ConcurrentHashMap<>();

    /** Adds {@code userId} if {@code sizeCheck}, given the team's size, allows one more; atomic per team. */
    Result add(String organizationId, String teamId, String userId, IntFunction<LimitCheck> sizeCheck) {
        Set<String> team = members.computeIfAbsent(organizationId + "/" + teamId, k -> new LinkedHashSet<>());
        synchronized (team) {
            if (team.contains(userId)) {
                return new Result(Outcome.ALREADY_MEMBER, List.copyOf(team), null);
            }
            LimitCheck check = sizeCheck.apply(team.size());
            if (check.allowed()) {
                team.add(userId);
            }
            return new Result(check.allowed() ? Outcome.ADDED : Outcome.FULL, List.copyOf(team), check);
        }
    }
}
