package dev.tollgate;

/**
 * Hears about every snapshot revision installed, with the field paths whose logic changed. Called on the client's own
 * thread, one call at a time and in install order; keep it quick. An exception it throws is logged and otherwise
 * ignored.
 */
@FunctionalInterface
public interface SnapshotListener {
    void snapshotChanged(SnapshotChange change);
}
