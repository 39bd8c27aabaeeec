/** What plugins implement: log sinks, and the types they receive. */
package dev.tollgate.spi;
