/**
 * Helpers for tests, in the tollgate-testing artifact: build and install snapshots in Java, with the same validation as
 * production. {@link dev.tollgate.testing.TypedTestKit} and {@link dev.tollgate.testing.TypedTestKitBuilder} are the
 * superclasses of the generated test kit and its builder, which keep their values in {@link
 * dev.tollgate.testing.TestValues}; {@link dev.tollgate.testing.TypedTestKitExtension} is the superclass of the
 * generated JUnit 5 extension. {@link dev.tollgate.testing.ManualClock} moves time by hand, for trials and other windows.
 */
package dev.tollgate.testing;
