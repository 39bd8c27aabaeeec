/**
 * The schema model shared by the runtime, the code generator and the server: an immutable view of the SDL with every
 * field path and input attribute numbered, parsed by {@link dev.tollgate.internal.schema.SchemaParser}.
 */
package dev.tollgate.internal.schema;
