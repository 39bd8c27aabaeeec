package dev.tollgate.internal.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.InvalidSnapshotException;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.SnapshotProblem;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads snapshot bytes into a JSON tree with Jackson's streaming parser under the configured caps: total size, nesting
 * depth, string and number length, and no duplicate keys (a duplicated override key would otherwise silently win).
 */
public final class SnapshotJson {
    private static final int MAX_NUMBER_LENGTH = 64;
    /** Jackson's message for an exceeded constraint: the actual size, the allowed one, and which constraint it is. */
    private static final Pattern EXCEEDED = Pattern.compile(
            "\\((\\d+)\\) exceeds the maximum allowed \\((\\d+), from `StreamReadConstraints\\.getMax(\\w+)\\(\\)`");

    private SnapshotJson() {}

    /** Reads up to {@code limits.maxBytes()} bytes; a longer stream is rejected without reading it all. */
    public static byte[] readBounded(InputStream in, SnapshotLimits limits) throws IOException {
        byte[] bytes = in.readNBytes(limits.maxBytes());
        if (bytes.length == limits.maxBytes() && in.read() != -1) {
            throw tooLarge(limits);
        }
        return bytes;
    }

    /** Parses {@code bytes}; throws {@link InvalidSnapshotException} for malformed JSON or an exceeded cap. */
    public static JsonNode parse(byte[] bytes, SnapshotLimits limits) {
        return parse(bytes, limits, false);
    }

    /**
     * Parses a whole snapshot document as {@link #parse} does, except that the {@code values} and {@code rows} of its
     * override tables are read as {@link OverrideEntries} (see {@link JsonTrees#readSnapshot}): a repeated name in one
     * of them is for the compiler to find ({@link OverrideEntries.RepeatedName}), and for {@link #strictError} to report.
     */
    public static JsonNode parseSnapshot(byte[] bytes, SnapshotLimits limits) {
        return parse(bytes, limits, true);
    }

    /**
     * The error {@link #parse} gives for {@code bytes}: for a document whose repeated override key {@link
     * #parseSnapshot} left to the compiler, the parser's {@code Duplicate field} at its line and column, as for a name
     * repeated anywhere else. Parsing again costs a second parse, for an invalid document only.
     */
    public static InvalidSnapshotException strictError(byte[] bytes, SnapshotLimits limits) {
        try {
            parse(bytes, limits);
        } catch (InvalidSnapshotException e) {
            return e;
        }
        return invalid("snapshot repeats a name in an override table, which a strict parse did not find");
    }

    private static JsonNode parse(byte[] bytes, SnapshotLimits limits, boolean snapshot) {
        if (bytes.length > limits.maxBytes()) {
            throw tooLarge(limits);
        }
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxStringLength(limits.maxStringLength())
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                // Override keys arrive as field names, tens of thousands of distinct ones: canonicalizing and
                // interning them costs a third of a large load and fills the JVM's string table for nothing.
                .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                .build();
        try (JsonParser parser = factory.createParser(bytes)) {
            return readTree(parser, snapshot);
        } catch (JsonProcessingException e) {
            throw invalid("snapshot is not valid JSON at " + where(e.getLocation()) + ": "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw invalid("snapshot cannot be read: " + e.getMessage());
        }
    }

    private static JsonNode readTree(JsonParser parser, boolean snapshot) throws IOException {
        try {
            JsonNode tree = snapshot ? JsonTrees.readSnapshot(parser) : JsonTrees.read(parser);
            if (tree == null) {
                throw invalid("snapshot is empty");
            }
            if (parser.nextToken() != null) {
                throw invalid("snapshot has content after its closing brace at " + where(parser.currentLocation()));
            }
            return tree;
        } catch (StreamConstraintsException e) {
            throw invalid("snapshot exceeds a limit: " + limitExceeded(e, parser.currentLocation()));
        }
    }

    /**
     * Names the Tollgate limit that was exceeded, and how to raise it, instead of Jackson's constraint: {@code "nests 11
     * levels deep at line 1, column 60, past SnapshotLimits.maxNestingDepth (10); raise it with
     * SnapshotLimits.Builder.maxNestingDepth(int)"}.
     */
    private static String limitExceeded(StreamConstraintsException e, JsonLocation location) {
        String message = e.getOriginalMessage();
        Matcher exceeded = EXCEEDED.matcher(message);
        if (!exceeded.find()) {
            return message;
        }
        String actual = exceeded.group(1);
        String allowed = exceeded.group(2);
        String at = " at " + where(location);
        return switch (exceeded.group(3)) {
            case "NestingDepth" -> "nests " + actual + " levels deep" + at + ", past "
                    + limit("maxNestingDepth", allowed);
            case "StringLength" -> "has a string of " + actual + " characters" + at + ", past "
                    + limit("maxStringLength", allowed);
            case "NumberLength" -> "has a number of " + actual + " characters" + at + ", past the limit of " + allowed
                    + " characters for a number";
            default -> message;
        };
    }

    private static String limit(String name, String allowed) {
        return "SnapshotLimits." + name + " (" + allowed + "); raise it with SnapshotLimits.Builder." + name + "(int)";
    }

    private static String where(JsonLocation location) {
        return location == null
                ? "an unknown position"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static InvalidSnapshotException tooLarge(SnapshotLimits limits) {
        return invalid("snapshot is larger than the limit of " + limits.maxBytes() + " bytes");
    }

    private static InvalidSnapshotException invalid(String message) {
        return new InvalidSnapshotException(List.of(new SnapshotProblem("", message)));
    }
}
