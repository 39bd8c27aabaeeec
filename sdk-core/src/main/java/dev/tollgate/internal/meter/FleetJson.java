package dev.tollgate.internal.meter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the fleet's usage rows the Tollgate server answers with (the {@code usage} array of a log batch's answer and of
 * {@code GET /v1/usage}, see {@code docs/protocol.md}), and the answer's {@code version} and {@code more}.
 */
public final class FleetJson {
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * An answer's usage rows and, when it has them, its {@code version} (-1 if absent) and {@code more}.
     *
     * @param rows the rows, in the order given
     * @param version the highest version the answer covers, -1 when it does not say
     * @param more whether the server left rows out, for a next poll
     */
    public record Answer(List<MeterLedger.FleetRow> rows, long version, boolean more) {}

    /** An answer that is JSON of the wrong shape, naming where. */
    public static final class MalformedAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedAnswer(String message) {
            super(message);
        }
    }

    private FleetJson() {}

    /**
     * Parses an answer.
     *
     * @throws IOException if the body is not a JSON object of that shape, naming what was wrong
     */
    public static Answer read(InputStream body) throws IOException {
        try (JsonParser json = JSON.createParser(body)) {
            expect(json.nextToken(), JsonToken.START_OBJECT, "the answer");
            List<MeterLedger.FleetRow> rows = new ArrayList<>();
            long version = -1;
            boolean more = false;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                switch (name) {
                    case "usage" -> rows(json, value, rows);
                    case "version" -> version = number(json, value, "version");
                    case "more" -> more = bool(value, "more");
                    default -> json.skipChildren();
                }
            }
            return new Answer(rows, version, more);
        }
    }

    private static void rows(JsonParser json, JsonToken token, List<MeterLedger.FleetRow> rows) throws IOException {
        expect(token, JsonToken.START_ARRAY, "usage");
        while (json.nextToken() != JsonToken.END_ARRAY) {
            rows.add(row(json, rows.size()));
        }
    }

    private static MeterLedger.FleetRow row(JsonParser json, int index) throws IOException {
        String where = "usage[" + index + "]";
        expect(json.currentToken(), JsonToken.START_OBJECT, where);
        String field = null;
        String key = null;
        String period = null;
        Instant start = null;
        Map<String, Object> arguments = Map.of();
        long used = -1;
        long extra = 0;
        long version = -1;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            switch (name) {
                case "field" -> field = text(json, value, where + ".field");
                case "key" -> key = text(json, value, where + ".key");
                case "period" -> period = text(json, value, where + ".period");
                case "periodStart" -> start = instant(text(json, value, where + ".periodStart"), where);
                case "arguments" -> arguments = arguments(json, value, where + ".arguments");
                case "used" -> used = number(json, value, where + ".used");
                case "extra" -> extra = number(json, value, where + ".extra");
                case "version" -> version = number(json, value, where + ".version");
                default -> json.skipChildren();
            }
        }
        if (field == null || key == null || period == null || start == null || used < 0 || version < 0) {
            throw new MalformedAnswer(where + " needs field, key, period, periodStart, used and version");
        }
        return MeterLedger.FleetRow.of(field, arguments, key, period, start.toEpochMilli(), used, extra, version);
    }

    private static Map<String, Object> arguments(JsonParser json, JsonToken token, String where) throws IOException {
        expect(token, JsonToken.START_OBJECT, where);
        Map<String, Object> arguments = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken value = json.nextToken();
            arguments.put(
                    name,
                    switch (value) {
                        case VALUE_STRING -> json.getText();
                        case VALUE_NUMBER_INT -> json.getNumberValue();
                        case VALUE_NUMBER_FLOAT -> json.getDoubleValue();
                        case VALUE_TRUE -> Boolean.TRUE;
                        case VALUE_FALSE -> Boolean.FALSE;
                        case VALUE_NULL -> null;
                        default -> throw new MalformedAnswer(
                                where + "." + name + " must be a string, number, boolean or null");
                    });
        }
        return arguments;
    }

    private static boolean bool(JsonToken token, String where) throws IOException {
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw new MalformedAnswer(where + " must be true or false but was " + token);
        }
        return token == JsonToken.VALUE_TRUE;
    }

    private static String text(JsonParser json, JsonToken token, String where) throws IOException {
        expect(token, JsonToken.VALUE_STRING, where);
        return json.getText();
    }

    private static long number(JsonParser json, JsonToken token, String where) throws IOException {
        expect(token, JsonToken.VALUE_NUMBER_INT, where);
        long value = json.getLongValue();
        if (value < 0) {
            throw new MalformedAnswer(where + " must not be negative, but was " + value);
        }
        return value;
    }

    private static Instant instant(String text, String where) throws IOException {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new MalformedAnswer(where + ".periodStart must be an ISO-8601 instant, was \"" + text + "\"");
        }
    }

    private static void expect(JsonToken actual, JsonToken expected, String where) throws IOException {
        if (actual != expected) {
            throw new MalformedAnswer(where + " must be " + describe(expected) + " but was " + actual);
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            default -> "a whole number";
        };
    }
}
