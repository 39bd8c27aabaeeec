package dev.tollgate.server;

import com.fasterxml.jackson.databind.JsonNode;

/** An answer other than success: the HTTP status, a stable machine code, a sentence, and optional details. */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient JsonNode details;

    ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    ApiException(int status, String code, String message, JsonNode details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** Extra JSON for the error body (problems, current revision), or null. */
    JsonNode details() {
        return details;
    }
}
