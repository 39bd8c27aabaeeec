/**
 * The contract between generated code and the runtime. Application code does not call these types directly; they are
 * public so that generated classes in the application's own packages can use them.
 */
package dev.tollgate.runtime;
