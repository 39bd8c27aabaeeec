/** Helpers for tests: build and install snapshots in Java, with the same validation as production. */
package dev.tollgate.testing;
