package dev.tollgate.internal.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.internal.eval.CompiledSnapshot;
import dev.tollgate.internal.schema.SchemaField;
import dev.tollgate.internal.schema.SchemaModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One SHA-256 digest per schema field of the logic that answers it, so that two snapshots can be compared field by
 * field. It mirrors how a field is compiled: its own logic; the logic of the nearest enclosing object field that has
 * some, unless the field's own logic has a default (then the enclosing logic never answers for it); and every segment
 * either of them uses, directly or through other segments. Equal digests mean the field
 * answers identically under both snapshots; different digests mean it may not.
 */
public final class FieldFingerprints {
    /** Numbers the markers of {@link #changed}: unique in the process, which is as far as fingerprints are compared. */
    private static final java.util.concurrent.atomic.AtomicLong MARKERS = new java.util.concurrent.atomic.AtomicLong();

    private final SchemaModel schema;
    /** By field index; {@code null} where no logic answers the field. */
    private final byte[][] digests;

    private FieldFingerprints(SchemaModel schema, byte[][] digests) {
        this.schema = schema;
        this.digests = digests;
    }

    /** The fingerprints of "no snapshot": every field without logic. */
    public static FieldFingerprints none(SchemaModel schema) {
        return new FieldFingerprints(schema, new byte[schema.fields().size()][]);
    }

    /**
     * The fingerprints of a parsed, valid snapshot document, compiled as {@code compiled}: a field's logic counts by its
     * JSON without the override rows and by its tables' row checksums, which compiling computed, so the rows are not
     * read again.
     */
    public static FieldFingerprints of(SchemaModel schema, JsonNode document, CompiledSnapshot compiled) {
        return new Builder(document, compiled).build(schema);
    }

    /**
     * These fingerprints with the fields at {@code paths} marked changed: each gets a marker of its own (8 bytes, never
     * equal to a 32-byte digest or to another marker), so that they count as changed against these and against any snapshot compared later (a field
     * a delta changed may be reported changed by the next whole snapshot even if it equals the delta's result).
     */
    public FieldFingerprints changed(List<String> paths) {
        byte[][] copy = digests.clone();
        for (String path : paths) {
            byte[] marker = java.nio.ByteBuffer.allocate(Long.BYTES)
                    .putLong(MARKERS.incrementAndGet())
                    .array();
            schema.field(path).ifPresent(field -> copy[field.index()] = marker);
        }
        return new FieldFingerprints(schema, copy);
    }

    /** The paths, in schema order, whose logic differs between {@code previous} and this. */
    public List<String> changedSince(FieldFingerprints previous) {
        List<String> changed = new ArrayList<>();
        for (SchemaField field : schema.fields()) {
            if (!Arrays.equals(digests[field.index()], previous.digests[field.index()])) {
                changed.add(field.path());
            }
        }
        return changed;
    }

    private static final class Builder {
        private final JsonNode fields;
        private final JsonNode segments;
        private final CompiledSnapshot compiled;
        private final Map<JsonNode, byte[]> nodeDigests = new IdentityHashMap<>();
        private final Map<String, Set<String>> segmentUses = new HashMap<>();

        Builder(JsonNode document, CompiledSnapshot compiled) {
            this.fields = document.path("fields");
            this.segments = document.path("segments");
            this.compiled = compiled;
        }

        FieldFingerprints build(SchemaModel schema) {
            byte[][] digests = new byte[schema.fields().size()][];
            for (SchemaField field : schema.fields()) {
                JsonNode own = fields.get(field.path());
                SchemaField owner = field.parent();
                while (owner != null && fields.get(owner.path()) == null) {
                    owner = owner.parent();
                }
                if (own != null && own.has("default")) {
                    owner = null; // its own default answers whenever nothing else does: the enclosing logic never runs
                }
                if (own != null || owner != null) {
                    digests[field.index()] = fieldDigest(own, field, owner);
                }
            }
            return new FieldFingerprints(schema, digests);
        }

        private byte[] fieldDigest(JsonNode own, SchemaField field, SchemaField owner) {
            MessageDigest digest = Sha256.newDigest();
            Set<String> used = new TreeSet<>();
            update(digest, "own");
            if (own != null) {
                digest.update(logicDigest(own, field));
                collectUses(own, used);
            }
            if (owner != null) {
                JsonNode enclosing = fields.get(owner.path());
                update(digest, "enclosing " + owner.path());
                digest.update(logicDigest(enclosing, owner));
                collectUses(enclosing, used);
            }
            for (String segment : closure(used)) {
                update(digest, "segment " + segment);
                JsonNode definition = segments.get(segment);
                if (definition != null) {
                    digest.update(nodeDigest(definition));
                }
            }
            return digest.digest();
        }

        /** The segments named by the conditions of a field's rules. */
        private static void collectUses(JsonNode logic, Set<String> used) {
            for (JsonNode rule : logic.path("rules")) {
                LogicFingerprints.conditionUses(rule.get("if"), used);
            }
        }

        /** {@code direct} and every segment they use in turn, sorted. */
        private Set<String> closure(Set<String> direct) {
            Set<String> all = new TreeSet<>(direct);
            Deque<String> pending = new ArrayDeque<>(direct);
            while (!pending.isEmpty()) {
                for (String next : segmentUses(pending.pop())) {
                    if (all.add(next)) {
                        pending.push(next);
                    }
                }
            }
            return all;
        }

        private Set<String> segmentUses(String segment) {
            return segmentUses.computeIfAbsent(segment, name -> {
                Set<String> used = new TreeSet<>();
                LogicFingerprints.conditionUses(segments.path(name).get("if"), used);
                return used;
            });
        }

        /**
         * The digest of field {@code field}'s logic {@code logic}: its canonical JSON without the override rows, then the
         * row checksum of each of its tables, in order. Cached per node, as an enclosing field's logic serves many.
         */
        private byte[] logicDigest(JsonNode logic, SchemaField field) {
            return nodeDigests.computeIfAbsent(logic, n -> {
                MessageDigest digest = Sha256.newDigest();
                StringBuilder text = new StringBuilder(256);
                RowHasher.canonical(LogicFingerprints.withoutRows(n), text);
                update(digest, text.toString());
                ByteBuffer checksums = ByteBuffer.allocate(Long.BYTES);
                for (long checksum : compiled.overrideChecksums(field.index())) {
                    digest.update(checksums.clear().putLong(checksum).array());
                }
                return digest.digest();
            });
        }

        private byte[] nodeDigest(JsonNode node) {
            return nodeDigests.computeIfAbsent(node, n -> {
                MessageDigest digest = Sha256.newDigest();
                try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                    JsonTrees.write(out, n);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot serialize a parsed snapshot node", e);
                }
                return digest.digest();
            });
        }

        private static void update(MessageDigest digest, String text) {
            digest.update(text.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
    }
}
