package dev.tollgate.server;

import java.io.PrintStream;

/**
 * Starts the server: {@code java -jar tollgate-server.jar}. Settings come from {@code TOLLGATE_*} environment variables
 * and the properties file named by {@code TOLLGATE_CONFIG}; see {@code docs/server.md}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("Usage: java -jar tollgate-server.jar");
            System.out.println("Settings: TOLLGATE_* environment variables or the properties file named by"
                    + " TOLLGATE_CONFIG; see docs/server.md.");
            return;
        }
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("tollgate: " + e.getMessage());
            System.exit(2);
            return;
        }
        TollgateServer server;
        try {
            server = TollgateServer.start(config);
        } catch (RuntimeException e) {
            System.err.println("tollgate: cannot start: " + describe(e));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tollgate-shutdown"));
        PrintStream out = System.out;
        out.println("Tollgate server running at " + server.url());
        out.println("Storage: "
                + (server.usesPostgres()
                        ? "PostgreSQL"
                        : "H2 in " + config.dataDir().toAbsolutePath()));
        server.initialAdminToken().ifPresent(token -> {
            out.println("First admin token (shown once; keep it safe): " + token);
            out.println(
                    "Try: curl -H 'Authorization: Bearer " + token + "' " + server.url() + "/v1/admin/environments");
        });
        server.awaitTermination();
    }

    /** The failure and its causes in one line, without a stack trace: what an operator needs at start. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }
}
