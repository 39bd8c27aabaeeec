package dev.tollgate.internal.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.spi.LogBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
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

    private static void instant(JsonGenerator json, String name, Instant instant) throws IOException {
        json.writeStringField(name, instant.toString());
    }
}
