/**
 * The contract between generated code and the runtime. The types are public so that generated classes in the
 * application's own packages can use them. {@link dev.tollgate.runtime.TypedClient} and {@link
 * dev.tollgate.runtime.TypedClientBuilder} are the superclasses of the generated entry point and its builder: their
 * public methods are part of the generated API, called through the generated classes. Application code does not call
 * {@link dev.tollgate.runtime.GeneratedSupport} at all; {@link dev.tollgate.runtime.InputValue} is what generated input
 * classes and {@link dev.tollgate.DynamicInput} implement. {@link dev.tollgate.runtime.IntLimit} is what a generated
 * Int field's limit accessor returns, and {@link dev.tollgate.runtime.LimitCheck} what its check answers; application
 * code reads both.
 */
package dev.tollgate.runtime;
