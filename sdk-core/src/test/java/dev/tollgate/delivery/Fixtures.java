package dev.tollgate.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.DynamicInput;
import dev.tollgate.Schema;
import dev.tollgate.SnapshotLimits;
import dev.tollgate.TollgateClient;
import dev.tollgate.UntypedRoot;
import dev.tollgate.testing.ConditionSpec;
import dev.tollgate.testing.SnapshotBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Shared test data: the seed schema, snapshots whose every value encodes their revision (so a read tells which revision
 * answered it), signing keys, and a wait that polls a condition.
 */
final class Fixtures {
    static final Schema SCHEMA = seedSchema();
    static final String MAX_TEAM_SIZE = "entitlements.maxTeamSize";
    static final String TEAM_ROLES = "entitlements.teamRolesEnabled";
    static final String VERSION_HISTORY = "entitlements.versionHistoryEnabled";
    static final String API_REQUESTS = "entitlements.maxApiRequestsPerDay";

    private Fixtures() {}

    private static Schema seedSchema() {
        try (InputStream in = Fixtures.class.getResourceAsStream("/seed.graphql")) {
            return Schema.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "seed.graphql");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A snapshot where maxTeamSize is the revision, API requests 100 times it, and both booleans its parity. */
    static String snapshot(long revision) {
        return builder(revision).toJson();
    }

    static byte[] snapshotBytes(long revision) {
        return snapshot(revision).getBytes(StandardCharsets.UTF_8);
    }

    static SnapshotBuilder builder(long revision) {
        boolean even = revision % 2 == 0;
        return SnapshotBuilder.forSchema(SCHEMA)
                .revision(revision)
                .value(MAX_TEAM_SIZE, (int) revision)
                .value(API_REQUESTS, (int) revision * 100)
                .value(TEAM_ROLES, even)
                .value(VERSION_HISTORY, even);
    }

    /** Limits under which {@link #tooDeepForTheStack} parses and passes every depth check. */
    static final SnapshotLimits DEEP_LIMITS = SnapshotLimits.builder()
            .maxNestingDepth(1_000_000)
            .maxConditionDepth(1_000_000)
            .build();

    /**
     * Revision {@code revision} whose teamRolesEnabled rule nests {@code not} 100,000 deep. Under {@link #DEEP_LIMITS}
     * it parses (Jackson builds trees without recursion), but compiling the condition recurses once per level and
     * overflows any thread's stack: a deterministic {@link StackOverflowError} while loading a served snapshot.
     */
    static byte[] tooDeepForTheStack(long revision) {
        ConditionSpec marker = ConditionSpec.eq("context.user.id", "deep-condition-marker");
        String pretty = SnapshotBuilder.forSchema(SCHEMA)
                .revision(revision)
                .field(TEAM_ROLES, f -> f.rule("deep", marker, true).defaultValue(false))
                .toJson();
        String compact;
        try {
            compact = new ObjectMapper().readTree(pretty).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String leaf = marker.toString();
        if (!compact.contains(leaf)) {
            throw new IllegalStateException("no " + leaf + " in " + compact);
        }
        int depth = 100_000;
        return compact.replace(leaf, "{\"not\":".repeat(depth) + leaf + "}".repeat(depth))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The same snapshot declaring another schema hash. */
    static String withSchemaHash(String snapshot, String hash) {
        return snapshot.replace(SCHEMA.hash(), hash);
    }

    static DynamicInput context() {
        return DynamicInput.context(
                SCHEMA, Map.of("organization", Map.of("id", "org_1", "plan", "PRO"), "user", Map.of("id", "u1")));
    }

    static UntypedRoot root(TollgateClient client) {
        return client.root(context());
    }

    /** The value of maxTeamSize, which is the revision that answered; -1 when it fell back. */
    static int maxTeamSize(TollgateClient client) {
        return root(client).intValue(MAX_TEAM_SIZE, -1);
    }

    static KeyPair signingKeys() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(PrivateKey key, byte[] bytes) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(bytes);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Replaces {@code target} by a rename of a file written beside it, as a deployment does: a source polling it never
     * reads it half-written. Tests of edits in place write the file directly.
     */
    static void replaceByRename(Path target, byte[] content) {
        try {
            Path temporary = Files.createTempFile(target.toAbsolutePath().getParent(), ".snapshot", ".tmp");
            Files.write(temporary, content);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void replaceByRename(Path target, String content) {
        replaceByRename(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Waits for {@code condition}. The status changes in the same step as the installed snapshot, so once it shows a
     * revision, evaluation and the rest of the status do too. Checks every millisecond; fails naming {@code what} after
     * {@code timeout}.
     */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    static void await(String what, BooleanSupplier condition) {
        await(what, Duration.ofSeconds(5), condition);
    }
}
