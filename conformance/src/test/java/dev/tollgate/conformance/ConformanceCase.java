package dev.tollgate.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.EvaluationDetail;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.LoadResult;
import dev.tollgate.SnapshotProblem;
import dev.tollgate.TollgateClient;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One case of a {@link CaseFile}, in one of two forms.
 *
 * <p>An <b>evaluation</b> case loads the snapshots in {@code before}, then its own snapshot (none when {@code snapshot}
 * is {@code null}), optionally checks the {@link LoadResult} against {@code expectLoad}, and checks one {@link
 * Evaluation}.
 *
 * <p>A <b>rejection</b> case (it has {@code expectProblems}) installs the file's snapshot, checks the probe, loads its
 * own snapshot, and asserts that it is rejected with exactly the expected problems, in order, and that the snapshot
 * installed before stays: same revision, same probe answer.
 *
 * <p>A case's snapshot is {@code snapshot} (a whole document), {@code patch} (a JSON merge patch over the file's
 * snapshot; the revision goes up by one unless the patch sets it), {@code raw} (text, for documents that are not
 * valid JSON), or else the file's snapshot. {@code "$SCHEMA_HASH"} stands for the schema's hash.
 */
final class ConformanceCase {
    private static final Set<String> KEYS = Set.of(
            "name",
            "description",
            "at",
            "limits",
            "before",
            "snapshot",
            "patch",
            "raw",
            "context",
            "args",
            "field",
            "accessor",
            "fallback",
            "expect",
            "expectLoad",
            "expectProblems",
            "probe");

    private final CaseFile file;
    private final JsonNode spec;
    private final String name;

    ConformanceCase(CaseFile file, JsonNode spec) {
        this.file = file;
        this.spec = spec;
        this.name = Evaluation.required(spec, "name", file.name()).textValue();
        CaseFile.requireKnownKeys(spec, KEYS, where());
    }

    String name() {
        return name;
    }

    URI source() {
        return file.source();
    }

    String displayName() {
        return file.name() + ": " + name;
    }

    void run() {
        TollgateClient client = TollgateClient.builder(file.schema())
                .limits(file.limits(spec.get("limits")))
                .clock(clock())
                .build();
        if (spec.has("expectProblems")) {
            runRejection(client);
        } else {
            runEvaluation(client);
        }
    }

    /** A clock fixed at the case's {@code "at"}, an RFC 3339 date-time; the system clock without one. */
    private Clock clock() {
        JsonNode at = spec.get("at");
        if (at == null) {
            return Clock.systemUTC();
        }
        try {
            return Clock.fixed(OffsetDateTime.parse(at.asText()).toInstant(), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where() + ": \"at\" is not an RFC 3339 date-time: " + at.asText(), e);
        }
    }

    private void runEvaluation(TollgateClient client) {
        for (JsonNode before : spec.path("before")) {
            client.loadSnapshot(text(before));
        }
        String snapshot = text(spec);
        if (snapshot != null) {
            LoadResult result = client.loadSnapshot(snapshot);
            checkLoad(result, spec.get("expectLoad"), where());
        } else if (spec.has("expectLoad")) {
            throw new IllegalArgumentException(where() + ": \"expectLoad\" needs a snapshot");
        }
        new Evaluation(file.schema(), file.context(), spec, where()).check(client);
    }

    private void runRejection(TollgateClient client) {
        JsonNode base = file.snapshot();
        if (base == null) {
            throw new IllegalArgumentException(
                    where() + ": a rejection case needs the file's snapshot installed first");
        }
        LoadResult installed = client.loadSnapshot(CaseJson.write(base));
        assertThat(installed.installed())
                .as("%s: the file's snapshot is installed", where())
                .isTrue();
        JsonNode probeSpec = spec.has("probe") ? spec.get("probe") : file.probe();
        if (probeSpec == null) {
            throw new IllegalArgumentException(where() + ": a rejection case needs a probe");
        }
        Evaluation probe = new Evaluation(file.schema(), file.context(), probeSpec, where() + ": probe");
        EvaluationDetail<Object> before = probe.check(client);

        String candidate = text(spec);
        InvalidSnapshotException rejected =
                catchThrowableOfType(InvalidSnapshotException.class, () -> client.loadSnapshot(candidate));

        assertThat(rejected).as("%s: the snapshot is rejected", where()).isNotNull();
        assertThat(rejected.problems()).as("%s: problems", where()).containsExactlyElementsOf(expectedProblems());
        for (SnapshotProblem problem : rejected.problems()) {
            assertThat(rejected.getMessage())
                    .as("%s: exception message", where())
                    .contains(problem.toString());
        }
        assertThat(client.revision())
                .as("%s: installed revision after the rejection", where())
                .isEqualTo(installed.revision());
        assertThat(probe.check(client))
                .as("%s: probe after the rejection", where())
                .isEqualTo(before);
    }

    private List<SnapshotProblem> expectedProblems() {
        List<SnapshotProblem> problems = new ArrayList<>();
        for (JsonNode problem : spec.get("expectProblems")) {
            CaseFile.requireKnownKeys(problem, Set.of("path", "message"), where() + ": expectProblems");
            problems.add(new SnapshotProblem(
                    Evaluation.required(problem, "path", where()).textValue(),
                    Evaluation.required(problem, "message", where()).textValue()));
        }
        if (problems.isEmpty()) {
            throw new IllegalArgumentException(where() + ": \"expectProblems\" is empty");
        }
        return problems;
    }

    /** The snapshot text {@code source} describes, or {@code null} for {@code "snapshot": null}. */
    private String text(JsonNode source) {
        String hash = file.schema().hash();
        if (source.has("raw")) {
            return source.get("raw").textValue().replace(CaseJson.SCHEMA_HASH, hash);
        }
        if (source.has("snapshot")) {
            JsonNode snapshot = source.get("snapshot");
            return snapshot.isNull() ? null : CaseJson.write(CaseJson.withSchemaHash(snapshot, hash));
        }
        JsonNode base = file.snapshot();
        if (base == null) {
            throw new IllegalArgumentException(where() + ": the file has no snapshot to use or patch");
        }
        if (!source.has("patch")) {
            return CaseJson.write(base);
        }
        JsonNode patch = CaseJson.withSchemaHash(source.get("patch"), hash);
        ObjectNode patched = (ObjectNode) CaseJson.merge(base, patch);
        if (!patch.has("revision")) {
            patched.put("revision", base.path("revision").asLong() + 1);
        }
        return CaseJson.write(patched);
    }

    private static void checkLoad(LoadResult result, JsonNode expected, String where) {
        if (expected == null) {
            return;
        }
        CaseFile.requireKnownKeys(
                expected,
                Set.of("status", "revision", "previousRevision", "schemaHashMatches"),
                where + ": expectLoad");
        if (expected.has("status")) {
            assertThat(result.status())
                    .as("%s: load status", where)
                    .isEqualTo(LoadResult.Status.valueOf(expected.get("status").textValue()));
        }
        if (expected.has("revision")) {
            assertThat(result.revision())
                    .as("%s: loaded revision", where)
                    .isEqualTo(expected.get("revision").longValue());
        }
        if (expected.has("previousRevision")) {
            assertThat(result.previousRevision())
                    .as("%s: previous revision", where)
                    .isEqualTo(expected.get("previousRevision").longValue());
        }
        if (expected.has("schemaHashMatches")) {
            assertThat(result.schemaHashMatches())
                    .as("%s: schema hash matches", where)
                    .isEqualTo(expected.get("schemaHashMatches").booleanValue());
        }
    }

    private String where() {
        return file.name() + ": case \"" + name + "\"";
    }
}
