package dev.tollgate.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.Schema;
import dev.tollgate.SnapshotLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One case file under {@code conformance/} on the test class path: a schema, an optional base snapshot, a base context,
 * optional limits, case defaults, an optional probe and the cases. See {@code conformance/README.md}.
 */
final class CaseFile {
    static final String DIRECTORY = "conformance";

    private static final Set<String> KEYS =
            Set.of("description", "schema", "limits", "snapshot", "context", "defaults", "probe", "cases");

    private final String name;
    private final URI source;
    private final JsonNode document;
    private final Schema schema;

    private CaseFile(String name, URI source, JsonNode document) {
        this.name = name;
        this.source = source;
        this.document = document;
        requireKnownKeys(document, KEYS, name);
        this.schema = parseSchema(document.path("schema"));
    }

    /** Every {@code *.json} file in the conformance directory, by name. */
    static List<CaseFile> loadAll() {
        URL directory = CaseFile.class.getClassLoader().getResource(DIRECTORY);
        if (directory == null) {
            throw new IllegalStateException("no " + DIRECTORY + " directory on the test class path");
        }
        List<CaseFile> files = new ArrayList<>();
        try (Stream<Path> paths = Files.list(Path.of(directory.toURI()))) {
            for (Path path :
                    paths.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(path)) {
                    String fileName = path.getFileName().toString();
                    files.add(new CaseFile(fileName, path.toUri(), CaseJson.read(in, fileName)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    String name() {
        return name;
    }

    URI source() {
        return source;
    }

    Schema schema() {
        return schema;
    }

    /** The base snapshot with the schema hash filled in, or {@code null} if the file has none. */
    JsonNode snapshot() {
        JsonNode snapshot = document.get("snapshot");
        return snapshot == null ? null : CaseJson.withSchemaHash(snapshot, schema.hash());
    }

    /** The context every case's context is merged into. */
    JsonNode context() {
        return document.path("context").isObject() ? document.get("context") : CaseJson.MAPPER.createObjectNode();
    }

    /** The file's probe: an evaluation that invalid-snapshot cases check before and after the rejection. */
    JsonNode probe() {
        return document.get("probe");
    }

    /** The limits for a case: the file's, with the case's on top. */
    SnapshotLimits limits(JsonNode caseLimits) {
        JsonNode merged = CaseJson.merge(
                document.path("limits"), caseLimits == null ? CaseJson.MAPPER.createObjectNode() : caseLimits);
        SnapshotLimits.Builder builder = SnapshotLimits.builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = merged.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> limit = it.next();
            int value = limit.getValue().intValue();
            switch (limit.getKey()) {
                case "maxBytes" -> builder.maxBytes(value);
                case "maxNestingDepth" -> builder.maxNestingDepth(value);
                case "maxConditionDepth" -> builder.maxConditionDepth(value);
                case "maxRulesPerField" -> builder.maxRulesPerField(value);
                case "maxListLength" -> builder.maxListLength(value);
                case "maxOverrideRows" -> builder.maxOverrideRows(value);
                case "maxSegments" -> builder.maxSegments(value);
                case "maxStringLength" -> builder.maxStringLength(value);
                case "maxPatternLength" -> builder.maxPatternLength(value);
                default -> throw new IllegalArgumentException(name + ": unknown limit " + limit.getKey());
            }
        }
        return builder.build();
    }

    /** The cases, each with the file's defaults filled in for the keys it does not set. */
    List<ConformanceCase> cases() {
        JsonNode cases = document.get("cases");
        if (cases == null || !cases.isArray() || cases.isEmpty()) {
            throw new IllegalArgumentException(name + ": expected a non-empty \"cases\" array");
        }
        List<ConformanceCase> result = new ArrayList<>();
        for (JsonNode spec : cases) {
            ObjectNode filled = spec.deepCopy();
            document.path("defaults").fields().forEachRemaining(entry -> {
                if (!filled.has(entry.getKey())) {
                    filled.set(entry.getKey(), entry.getValue());
                }
            });
            result.add(new ConformanceCase(this, filled));
        }
        return result;
    }

    static void requireKnownKeys(JsonNode node, Set<String> allowed, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object but found " + node);
        }
        node.fieldNames().forEachRemaining(key -> {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown key \"" + key + "\"; expected one of " + allowed);
            }
        });
    }

    private Schema parseSchema(JsonNode spec) {
        requireKnownKeys(spec, Set.of("file", "sdl"), name + ": schema");
        if (spec.has("sdl")) {
            return Schema.parse(spec.get("sdl").textValue(), name + "#schema");
        }
        String resource = DIRECTORY + "/" + spec.path("file").textValue();
        try (InputStream in = CaseFile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException(name + ": no schema resource " + resource);
            }
            return Schema.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
