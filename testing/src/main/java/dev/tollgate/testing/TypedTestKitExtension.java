package dev.tollgate.testing;

import dev.tollgate.TollgateClient;
import dev.tollgate.runtime.TypedClient;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What every generated JUnit 5 extension has, whatever its schema: it hands a test kit's entry point, the kit and its
 * client to test methods that take them as parameters, and puts the kit's values back after each test.
 *
 * <p>The generator writes the subclasses; tests use them, not this class. A generated extension (named {@code
 * TollgateExtension} unless configured otherwise) adds what depends on its schema: a public constructor for
 * {@code @ExtendWith}, which starts with no values, the factory {@code withValues}, and {@code root(Context)}.
 *
 * <p>The values are shared by the tests of a class, so do not run them concurrently. This class needs
 * junit-jupiter-api on the test class path; the rest of the test kit does not.
 *
 * @param <E> the generated entry point the kit installs into
 * @param <V> the generated values class of the schema's root type, through which {@link #update} sets values
 * @param <K> the generated test kit
 * @param <X> the generated extension itself, which {@link #update} returns so that calls chain
 */
public abstract class TypedTestKitExtension<
                E extends TypedClient, V, K extends TypedTestKit<E, V, K>, X extends TypedTestKitExtension<E, V, K, X>>
        implements AfterEachCallback, ParameterResolver {
    private final K kit;

    /**
     * An extension around {@code kit}; {@link #afterEach} goes back to the values the kit was built with.
     *
     * @param kit the kit, used by this extension only
     */
    protected TypedTestKitExtension(K kit) {
        this.kit = Objects.requireNonNull(kit, "kit");
    }

    /**
     * Changes values for the current test; they are put back after it.
     *
     * @param values sets the values to change
     * @return this extension
     */
    public final X update(Consumer<V> values) {
        kit.update(values);
        return self();
    }

    /** The test kit. */
    public final K kit() {
        return kit;
    }

    /** The instance answering with the current values. */
    public final E tollgate() {
        return kit.tollgate();
    }

    /** Puts the values back to those the kit was built with, as a new revision. */
    @Override
    public final void afterEach(ExtensionContext extensionContext) {
        kit.reset();
    }

    /** Whether the parameter's type is exactly the entry point's, the kit's or {@link TollgateClient}. */
    @Override
    public final boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == kit.tollgate().getClass() || type == kit.getClass() || type == TollgateClient.class;
    }

    /** The entry point, the client or the kit, whichever the parameter's type is. */
    @Override
    public final Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        if (type == kit.tollgate().getClass()) {
            return kit.tollgate();
        }
        if (type == TollgateClient.class) {
            return kit.client();
        }
        return kit;
    }

    /** This extension as the subclass it is: {@code X} is, by contract, the class of the instance. */
    @SuppressWarnings("unchecked")
    private X self() {
        return (X) this;
    }
}
