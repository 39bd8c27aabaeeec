package dev.tollgate.codegen.cli;

import java.nio.file.Path;

/**
 * The executable jar's entry point: {@code java -jar tollgate-codegen-cli.jar generate|validate ...}. Exits with the
 * status {@link Cli#run} returns.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // The runtime logs through SLF4J; the command line has no logging backend and reports on its own.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        System.exit(new Cli(Path.of("").toAbsolutePath(), System.out, System.err).run(args));
    }
}
