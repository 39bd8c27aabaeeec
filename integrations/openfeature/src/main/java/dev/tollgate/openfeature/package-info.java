/**
 * An OpenFeature provider for Tollgate: {@link dev.tollgate.openfeature.TollgateProvider}. Flag keys are field paths,
 * the evaluation context is mapped to the schema's context, and reasons, error codes and provider events follow the
 * client's; see docs/openfeature.md.
 */
package dev.tollgate.openfeature;
