package dev.tollgate.examples.team;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Team membership, in memory: organization and team id to the members in the order they joined. */
final class Teams {

    /** What an attempt to add a member did. */
    enum Outcome {
        ADDED,
        ALREADY_MEMBER,
        FULL
    }

    /** The outcome and the team's members after the attempt. */
    record Result(Outcome outcome, List<String> members) {}

    private final Map<String, Set<String>> members = new ConcurrentHashMap<>();

    /** Adds {@code userId} unless the team already has {@code maxSize} members; atomic per team. */
    Result add(String organizationId, String teamId, String userId, int maxSize) {
        Set<String> team = members.computeIfAbsent(organizationId + "/" + teamId, k -> new LinkedHashSet<>());
        synchronized (team) {
            Outcome outcome;
            if (team.contains(userId)) {
                outcome = Outcome.ALREADY_MEMBER;
            } else if (team.size() >= maxSize) {
                outcome = Outcome.FULL;
            } else {
                team.add(userId);
                outcome = Outcome.ADDED;
            }
            return new Result(outcome, List.copyOf(new ArrayList<>(team)));
        }
    }
}
