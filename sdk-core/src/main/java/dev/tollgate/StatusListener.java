package dev.tollgate;

/**
 * Hears about changes of a client's {@link ClientStatus}: its state, its revision or source, a new error or rejection.
 * Called on the client's own thread, one call at a time and in order; keep it quick, since snapshot delivery waits for
 * it. An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface StatusListener {
    void statusChanged(ClientStatus status);
}
