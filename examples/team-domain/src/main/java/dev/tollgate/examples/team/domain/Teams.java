package dev.tollgate.examples.team.domain;

import dev.tollgate.runtime.LimitCheck;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/** Team membership, in memory: organization and team id to the members in the order they joined. */
public final class Teams {

    /** What an attempt to add a member did. */
    public enum Outcome {
        ADDED,
        ALREADY_MEMBER,
        FULL
    }

    /**
     * The outcome, the team's members after the attempt, and the size check that decided it (null for a member
     * already in the team, which is not checked).
     */
    public record Result(Outcome outcome, List<String> members, LimitCheck check) {}

    private final Map<String, Set<String>> members = new ConcurrentHashMap<>();

    /**
     * Adds {@code userId} if {@code sizeCheck}, given the team's current size, allows one more member; atomic per
     * team, so two requests cannot both take the last seat. The check evaluates locally and never blocks.
     */
    public Result add(String organizationId, String teamId, String userId, IntFunction<LimitCheck> sizeCheck) {
        Set<String> team = members.computeIfAbsent(organizationId + "/" + teamId, k -> new LinkedHashSet<>());
        synchronized (team) {
            if (team.contains(userId)) {
                return new Result(Outcome.ALREADY_MEMBER, List.copyOf(team), null);
            }
            LimitCheck check = sizeCheck.apply(team.size());
            if (!check.allowed()) {
                return new Result(Outcome.FULL, List.copyOf(team), check);
            }
            team.add(userId);
            return new Result(Outcome.ADDED, List.copyOf(new ArrayList<>(team)), check);
        }
    }
}
