package dev.tollgate.internal.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.spi.LogBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes a {@link LogBatch} as the JSON payload documented in {@code docs/protocol.md}. */
public final class LogBatchJson {
    private static final JsonFactory JSON = new JsonFactory();

    private LogBatchJson() {}

    public static byte[] toGzippedJson(LogBatch batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            write(batch, gzip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(LogBatch batch, OutputStream out) {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("batchId", batch.batchId());
            json.writeObjectFieldStart("sdk");
            json.writeStringField("name", "tollgate-java");
            json.writeStringField("version", SdkVersion.VERSION);
            json.writeEndObject();
            json.writeStringField("schemaHash", batch.schemaHash());
            json.writeNumberField("revision", batch.revision());
            instant(json, "windowStart", batch.windowStart());
            instant(json, "windowEnd", batch.windowEnd());
            json.writeArrayFieldStart("evaluations");
            for (LogBatch.EvaluationCount count : batch.evaluations()) {
                json.writeStartObject();
                json.writeStringField("field", count.field());
                json.writeStringField("outcome", count.outcome());
                json.writeNumberField("count", count.count());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("exposures");
            for (LogBatch.Exposure exposure : batch.exposures()) {
                json.writeStartObject();
                json.writeStringField("field", exposure.field());
                json.writeStringField("rule", exposure.rule());
                json.writeStringField("arm", exposure.arm());
                json.writeStringField("unit", exposure.unit());
                instant(json, "time", exposure.time());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("messages");
            for (LogBatch.SdkMessage message : batch.messages()) {
                json.writeStartObject();
                json.writeStringField("level", message.level());
                json.writeStringField("message", message.message());
                json.writeNumberField("count", message.count());
                instant(json, "firstSeen", message.firstSeen());
                instant(json, "lastSeen", message.lastSeen());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (!batch.usage().isEmpty()) {
                usage(json, batch);
            }
            json.writeObjectFieldStart("dropped");
            json.writeNumberField("exposures", batch.droppedExposures());
            json.writeNumberField("messages", batch.droppedMessages());
            json.writeNumberField("evaluations", batch.droppedEvaluations());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void usage(JsonGenerator json, LogBatch batch) throws IOException {
        json.writeArrayFieldStart("usage");
        for (LogBatch.UsageDelta delta : batch.usage()) {
            json.writeStartObject();
            json.writeStringField("field", delta.field());
            json.writeObjectFieldStart("arguments");
            for (Map.Entry<String, Object> argument : delta.arguments().entrySet()) {
                json.writeFieldName(argument.getKey());
                scalar(json, argument.getValue());
            }
            json.writeEndObject();
            json.writeStringField("key", delta.key());
            json.writeStringField("period", delta.period());
            instant(json, "periodStart", delta.periodStart());
            json.writeNumberField("amount", delta.amount());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void scalar(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long) {
            json.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number n) {
            json.writeNumber(n.doubleValue());
        } else {
            json.writeString(value.toString());
        }
    }

    private static void instant(JsonGenerator json, String name, Instant instant) throws IOException {
        json.writeStringField(name, instant.toString());
    }
}
