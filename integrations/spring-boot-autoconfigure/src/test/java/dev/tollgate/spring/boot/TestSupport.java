package dev.tollgate.spring.boot;

import dev.tollgate.LogOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.spring.boot.test.flags.Context;
import dev.tollgate.spring.boot.test.flags.Plan;
import dev.tollgate.spring.boot.test.flags.Tollgate;
import dev.tollgate.testing.SnapshotBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/** What the tests of this module share: contexts to evaluate, snapshots to write, waiting with a deadline. */
final class TestSupport {
    /** Names the generated test entry point. */
    static final String ENTRY_POINT = "tollgate.client.entry-point=" + Tollgate.class.getName();

    /** Where the code generator put the build-time snapshot (revision 3) among the test classes. */
    static final String BUILD_TIME_SOURCE = "embedded(" + Tollgate.BUILD_TIME_SNAPSHOT_RESOURCE + ")";

    /** A PRO organization: 50 seats and the audit log at revision 3. */
    static final Context PRO = Context.builder().organization("org_a", Plan.PRO).build();

    /** A FREE organization: the default, 10 seats, at revision 3. */
    static final Context FREE =
            Context.builder().organization("org_b", Plan.FREE).build();

    /** The organization with its own override: 500 seats at revision 3. */
    static final Context BIG =
            Context.builder().organization("org_big", Plan.FREE).build();

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private TestSupport() {}

    /** A snapshot of the test schema at {@code revision} whose only logic is {@code seats} for every organization. */
    static String snapshot(long revision, int seats) {
        return SnapshotBuilder.forSchema(Tollgate.schema())
                .revision(revision)
                .value("entitlements.maxSeats", seats)
                .value("entitlements.auditLogEnabled", false)
                .toJson();
    }

    /** Replaces {@code file} the way a deployment does: a temporary file renamed over it. */
    static void write(Path file, String content) {
        try {
            Path temporary = Files.createTempFile(file.getParent(), ".snapshot", ".tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code condition} holds, for at most ten seconds, and fails naming {@code what} otherwise. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + DEADLINE + " for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /**
     * The message of the exception that Tollgate's auto-configuration threw, found among the causes of a start-up
     * failure: the first one that starts with a property name, as every message of the module does.
     */
    static String tollgateMessage(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.startsWith(TollgateProperties.PREFIX + ".")) {
                return message;
            }
            messages.add(t.getClass().getName() + ": " + message);
        }
        throw new AssertionError("no cause names a tollgate.client property: " + messages, failure);
    }

    /** A client of the test schema with its logs off, for applications that build their own. */
    static TollgateClient client() {
        return TollgateClient.builder(Tollgate.schema())
                .logs(LogOptions.disabled())
                .build();
    }

    /** An application with two clients of its own, neither of them primary. */
    @Configuration(proxyBeanMethods = false)
    static class TwoClients {
        @Bean
        TollgateClient firstClient() {
            return client();
        }

        @Bean
        TollgateClient secondClient() {
            return client();
        }
    }

    /** An application with two clients of its own, the second one primary. */
    @Configuration(proxyBeanMethods = false)
    static class TwoClientsOnePrimary {
        @Bean
        TollgateClient firstClient() {
            return client();
        }

        @Bean
        @Primary
        TollgateClient primaryClient() {
            return client();
        }
    }
}
