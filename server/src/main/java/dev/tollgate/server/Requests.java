package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** What the admin endpoints read from every request: {@code If-Match}, the change message, JSON object bodies. */
final class Requests {
    private static final int MAX_MESSAGE = 2_000;

    private Requests() {}

    /**
     * The revision named by {@code If-Match}: {@code "7"}, {@code W/"7"}, {@code 7}, or a snapshot ETag {@code
     * "7-9f86d081884c7d65"}; 428 when absent.
     */
    static long ifMatch(Call call) {
        String header = call.header("If-Match");
        if (header == null || header.isBlank()) {
            throw new ApiException(
                    428,
                    "precondition_required",
                    "send If-Match with the revision your change is based on (the ETag of the resource you read)");
        }
        String tag = header.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        int dash = tag.indexOf('-');
        if (dash > 0) {
            tag = tag.substring(0, dash);
        }
        try {
            long revision = Long.parseLong(tag);
            if (revision < 0) {
                throw new NumberFormatException();
            }
            return revision;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("If-Match must be a revision such as \"7\", was " + header);
        }
    }

    static String message(Call call, JsonNode body) {
        String message = body != null && body.path("message").isTextual()
                ? body.get("message").asText()
                : null;
        if (message == null) {
            String header = call.header("Tollgate-Message");
            message = header == null ? "" : Call.decode(header);
        }
        if (message.length() > MAX_MESSAGE) {
            throw ApiException.badRequest("the change message is longer than " + MAX_MESSAGE + " characters");
        }
        return message;
    }

    static LogicStore.Change change(Call call, JsonNode body) {
        return new LogicStore.Change(call.principal(), call.clientAddress(), message(call, body));
    }

    static JsonNode object(Call call, int limit) throws IOException {
        JsonNode body = call.json(limit);
        if (!body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        return body;
    }

    /** A body that is either the resource itself or {@code {"<key>": resource, "message": "..."}}. */
    static JsonNode unwrap(JsonNode body, String key) {
        JsonNode wrapped = body.get(key);
        return wrapped != null && body.size() <= 2 && (body.size() == 1 || body.has("message")) ? wrapped : body;
    }
}
