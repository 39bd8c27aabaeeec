package dev.tollgate.internal.eval;

import java.util.List;

/**
 * An enum attribute of the context that a field's logic tests, such as {@code context.organization.plan}, with the
 * enum's values in declaration order: what a denied limit check tries instead of the context's own value.
 */
record EnumChoice(String attribute, int slot, List<String> values) {
    EnumChoice {
        values = List.copyOf(values);
    }
}
