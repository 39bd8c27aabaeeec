package dev.tollgate.internal.eval;

import static dev.tollgate.internal.eval.Problems.describe;
import static dev.tollgate.internal.eval.Problems.quote;
import static dev.tollgate.internal.eval.SnapshotDelta.unknownKeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.internal.schema.SchemaField;
import dev.tollgate.internal.schema.SchemaModel;
import dev.tollgate.internal.snapshot.LogicFingerprints;
import dev.tollgate.internal.snapshot.RowHasher;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes of a {@code delta} event that replace a field's logic or a segment's definition (see {@link
 * SnapshotDelta}): the compiler's own code compiles the replaced logic, and the logic of every field that uses a
 * replaced segment (directly or through other segments), against the installed schema and the segments after the
 * delta, and each result is checked against the fingerprints and checksums the server sent. Throws {@link
 * SnapshotDelta.Refused} for anything it cannot apply exactly.
 */
final class LogicDelta {
    private static final Set<String> LOGIC_KEYS = Set.of("field", "logic", "checksums");
    private static final Set<String> SEGMENT_KEYS = Set.of("segment", "definition", "fingerprint");

    private final CompiledSnapshot base;
    private final SchemaModel schema;
    private final SnapshotLimits limits;
    private final ExposureRecorder exposures;
    /** Logic a change replaces, by field index, and the checksums of its tables after the delta. */
    private final Map<Integer, JsonNode> replacedLogic = new LinkedHashMap<>();

    private final Map<Integer, JsonNode> replacedChecksums = new HashMap<>();
    /** Segment definitions a change replaces, by name. */
    private final Map<String, JsonNode> replacedSegments = new LinkedHashMap<>();
    /** The segment definitions after the delta. */
    private JsonNode segments;
    /** Whether some logic compiled anew reads the time. */
    private boolean readsTime;

    LogicDelta(CompiledSnapshot base, SnapshotLimits limits, ExposureRecorder exposures) {
        this.base = base;
        this.schema = base.schema();
        this.limits = limits;
        this.exposures = exposures;
        this.segments = base.segments();
    }

    /** Whether a change replaces the logic of field {@code index}. */
    boolean replaces(int index) {
        return replacedLogic.containsKey(index);
    }

    /** The segment definitions after the delta. */
    JsonNode segments() {
        return segments;
    }

    /** Whether some logic compiled anew has a time window. */
    boolean readsTime() {
        return readsTime;
    }

    /** A change that replaces a field's logic: checked here, compiled by {@link #recompile}. */
    void logicChange(JsonNode change, String at) {
        unknownKeys(change, LOGIC_KEYS, at);
        JsonNode pathNode = change.get("field");
        String path = pathNode != null && pathNode.isTextual() ? pathNode.textValue() : null;
        SchemaField field = path == null ? null : schema.field(path).orElse(null);
        if (field == null || base.plan(field.index()).own() == null) {
            throw new SnapshotDelta.Refused(at + ".field must name a field that has logic in the installed revision "
                    + base.revision() + " but is " + describe(pathNode));
        }
        JsonNode checksums = change.get("checksums");
        if (checksums == null || !checksums.isArray()) {
            throw new SnapshotDelta.Refused(
                    at + ": \"checksums\" must be an array, one per override table, but is " + describe(checksums));
        }
        if (replacedLogic.put(field.index(), change.get("logic")) != null) {
            throw new SnapshotDelta.Refused(at + ": the logic of " + path + " is replaced twice");
        }
        replacedChecksums.put(field.index(), checksums);
    }

    /** A change that replaces a segment's definition, checked against its fingerprint. */
    void segmentChange(JsonNode change, String at) {
        unknownKeys(change, SEGMENT_KEYS, at);
        JsonNode name = change.get("segment");
        if (name == null || !name.isTextual() || !base.segments().has(name.textValue())) {
            throw new SnapshotDelta.Refused(at + ".segment must name a segment of the installed revision "
                    + base.revision() + " but is " + describe(name));
        }
        JsonNode definition = change.get("definition");
        JsonNode fingerprint = change.get("fingerprint");
        if (definition == null || fingerprint == null || !fingerprint.isTextual()) {
            throw new SnapshotDelta.Refused(
                    at + ": a segment change needs \"definition\" and \"fingerprint\", a string");
        }
        String actual = LogicFingerprints.of(definition);
        if (!actual.equals(fingerprint.textValue())) {
            throw new SnapshotDelta.Refused("segment " + quote(name.textValue()) + " after the delta has fingerprint "
                    + actual + ", but the server's has " + fingerprint.textValue());
        }
        if (replacedSegments.put(name.textValue(), definition) != null) {
            throw new SnapshotDelta.Refused(at + ": segment " + quote(name.textValue()) + " is replaced twice");
        }
    }

    /**
     * Compiles the replaced logic and the logic of every field that uses a replaced segment, against the segments
     * after the delta, into {@code logic}; checks each such field's fingerprint, listed in {@code fingerprints}, and
     * the tables of replaced logic against their checksums.
     */
    void recompile(JsonNode fingerprints, Map<Integer, CompiledLogic> logic, List<Outcome> newOutcomes) {
        JsonNode expected = fingerprints == null ? JsonNodeFactory.instance.objectNode() : fingerprints;
        if (!expected.isObject()) {
            throw new SnapshotDelta.Refused(
                    "the delta's \"fingerprints\" must be an object by field path but is " + describe(fingerprints));
        }
        if (replacedLogic.isEmpty() && replacedSegments.isEmpty()) {
            if (!expected.isEmpty()) {
                throw new SnapshotDelta.Refused("the delta has fingerprints but replaces no logic and no segment");
            }
            return;
        }
        segments = segmentsAfter();
        Map<Integer, JsonNode> compile = fieldsToCompile();
        Set<String> paths = new HashSet<>();
        compile.forEach((index, node) -> paths.add(verifyFingerprint(index, node, expected)));
        for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!paths.contains(name)) {
                throw new SnapshotDelta.Refused("the server recompiles " + name + ", which the installed revision "
                        + base.revision() + " would not: its segments differ from the server's");
            }
        }
        Map<Integer, CompiledLogic> installed = new HashMap<>();
        compile.keySet()
                .forEach(index -> installed.put(
                        index, logic.getOrDefault(index, base.plan(index).own())));
        SnapshotCompiler.Recompiled recompiled;
        try {
            recompiled = SnapshotCompiler.recompile(
                    base, segments, compile, installed, limits, exposures, base.outcomeCount() + newOutcomes.size());
        } catch (InvalidSnapshotException e) {
            throw new SnapshotDelta.Refused("the delta's logic is invalid: " + e.getMessage());
        }
        replacedChecksums.forEach(
                (index, checksums) -> verifyChecksums(index, recompiled.logic().get(index), checksums));
        logic.putAll(recompiled.logic());
        newOutcomes.addAll(recompiled.outcomes());
        readsTime = recompiled.readsTime();
    }

    /** The installed segments with the replaced ones' new definitions. */
    private JsonNode segmentsAfter() {
        if (replacedSegments.isEmpty()) {
            return base.segments();
        }
        ObjectNode after = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = base.segments().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            after.set(entry.getKey(), replacedSegments.getOrDefault(entry.getKey(), entry.getValue()));
        }
        return after;
    }

    /** The replaced logic, and the installed logic of each other field that uses a replaced segment; by index. */
    private Map<Integer, JsonNode> fieldsToCompile() {
        Map<Integer, JsonNode> compile = new LinkedHashMap<>(replacedLogic);
        if (replacedSegments.isEmpty()) {
            return compile;
        }
        for (SchemaField field : schema.fields()) {
            CompiledLogic own = base.plan(field.index()).own();
            if (own == null || compile.containsKey(field.index())) {
                continue;
            }
            Set<String> used = LogicFingerprints.segmentsUsed(
                    own.source() == null ? JsonNodeFactory.instance.objectNode() : own.source(), segments);
            used.retainAll(replacedSegments.keySet());
            if (!used.isEmpty()) {
                if (own.source() == null) {
                    throw new SnapshotDelta.Refused(
                            field.path() + " uses a replaced segment but has no logic to recompile");
                }
                compile.put(field.index(), own.source());
            }
        }
        return compile;
    }

    /** Checks the fingerprint of the logic compiled for field {@code index}; returns the field's path. */
    private String verifyFingerprint(int index, JsonNode node, JsonNode expected) {
        String path = schema.fields().get(index).path();
        JsonNode server = expected.get(path);
        String actual = node.isObject() ? LogicFingerprints.of(LogicFingerprints.withoutRows(node)) : "none";
        if (server == null || !server.isTextual() || !server.textValue().equals(actual)) {
            throw new SnapshotDelta.Refused(path + " after the delta has logic with fingerprint " + actual
                    + ", but the server's has "
                    + (server != null && server.isTextual() ? server.textValue() : describe(server))
                    + "; the installed revision " + base.revision()
                    + " differs from the server's");
        }
        return path;
    }

    private void verifyChecksums(int index, CompiledLogic compiled, JsonNode checksums) {
        String path = schema.fields().get(index).path();
        if (checksums.size() != compiled.tableCount()) {
            throw new SnapshotDelta.Refused(path + ": the delta has " + checksums.size() + " table checksums for "
                    + compiled.tableCount() + " override tables");
        }
        for (int i = 0; i < checksums.size(); i++) {
            String actual = RowHasher.hex(compiled.table(i).checksum());
            if (!actual.equals(checksums.get(i).asText())) {
                throw new SnapshotDelta.Refused(path + " table " + i + " after the delta has checksum " + actual
                        + ", but the server's has " + checksums.get(i).asText() + "; the installed revision "
                        + base.revision() + " differs from the server's");
            }
        }
    }
}
