/**
 * A hand-written stand-in for the classes {@code sdk-codegen} generates from the seed schema, written the way the
 * generator writes them: immutable input classes implementing {@link dev.tollgate.runtime.InputValue} with an {@code
 * attribute(int slot)} switch, an enum carrying schema names, and node classes whose accessors call the allocation-free
 * index API of {@link dev.tollgate.Root} with field indexes fixed at generation time. The benchmarks switch to the
 * generated classes once the generator is on main; until then these are what Tollgate is measured through.
 */
package dev.tollgate.benchmarks.tollgate;
