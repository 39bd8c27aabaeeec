package dev.tollgate.internal.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.internal.snapshot.SignatureVerifier;
import java.io.IOException;
import okhttp3.HttpUrl;

/**
 * The answer of {@code GET /v1/snapshot/latest} ({@code docs/protocol.md}): the environment's current revision, and
 * whether its snapshots must be signed, with the server's public key. The client fetches the revision at its immutable
 * URL, usually through a cache, and checks the snapshot against what this answer, which came from the server itself,
 * requires of it.
 */
record LatestRevision(String environment, long revision, boolean signatureRequired, String publicKey) {
    /** The largest answer read; a real one is a few hundred bytes. */
    static final int MAX_BYTES = 16 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses the answer.
     *
     * @throws IllegalArgumentException saying what is missing or malformed
     */
    static LatestRevision parse(byte[] body) {
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the answer is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("the answer is not JSON: " + e.getMessage(), e);
        }
        JsonNode environment = answer == null ? null : answer.get("environment");
        JsonNode revision = answer == null ? null : answer.get("revision");
        if (environment == null
                || !environment.isTextual()
                || environment.textValue().isEmpty()) {
            throw new IllegalArgumentException("the answer has no \"environment\" name");
        }
        if (revision == null || !revision.canConvertToExactIntegral() || revision.longValue() <= 0) {
            throw new IllegalArgumentException("the answer has no positive \"revision\": " + revision);
        }
        JsonNode key = answer.get("publicKey");
        return new LatestRevision(
                environment.textValue(),
                revision.longValue(),
                answer.path("signatureRequired").asBoolean(false),
                key != null && key.isTextual() ? key.textValue() : null);
    }

    /** The revision's immutable URL under {@code base}: {@code <base>/v1/environments/<env>/snapshots/<revision>}. */
    HttpUrl url(HttpUrl base) {
        return base.newBuilder()
                .addPathSegments("v1/environments")
                .addPathSegment(environment)
                .addPathSegment("snapshots")
                .addPathSegment(Long.toString(revision))
                .build();
    }

    /**
     * Why the client must refuse {@code snapshot} with {@code signature}, fetched from {@code url}, or null when it may
     * go on (to the client's own checks). Only an environment that requires signing is checked here, with the public
     * key the server announced: an unsigned snapshot, or one whose signature does not verify, is refused.
     */
    String refusal(byte[] snapshot, String signature, HttpUrl url) {
        if (!signatureRequired) {
            return null;
        }
        String which = "revision " + revision + " of environment " + environment + " from GET " + url;
        if (signature == null || signature.isBlank()) {
            return which + " has no " + ServerSnapshotSource.SIGNATURE_HEADER
                    + " header, and the environment requires signed snapshots";
        }
        if (publicKey == null) {
            return which + " cannot be verified: the environment requires signed snapshots, but the server announced"
                    + " no public key";
        }
        String problem;
        try {
            problem = SignatureVerifier.of(SignatureVerifier.parsePublicKey(publicKey))
                    .problem(snapshot, signature);
        } catch (IllegalArgumentException e) {
            return which + " cannot be verified: the server's public key is unusable: " + e.getMessage();
        }
        return problem == null ? null : which + " is badly signed: " + problem;
    }
}
