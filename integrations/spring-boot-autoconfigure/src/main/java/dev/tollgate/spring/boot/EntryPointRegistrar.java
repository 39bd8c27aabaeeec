package dev.tollgate.spring.boot;

import dev.tollgate.TollgateClient;
import dev.tollgate.runtime.TypedClient;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Registers the generated entry point named by {@code tollgate.client.entry-point} as a bean of its own class, so that
 * services inject it as {@code Tollgate}, unless the application defines a bean of that class itself (a test kit's,
 * say). The bean is built by {@link TollgateClientFactory} and closed, which flushes the logs, when the context closes.
 */
final class EntryPointRegistrar
        implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware, BeanClassLoaderAware {
    static final String BEAN_NAME = "tollgateEntryPoint";

    private Environment environment;
    private BeanFactory beanFactory;
    private ClassLoader classLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        String name = environment.getProperty(TollgateClientFactory.property("entry-point"));
        if (name == null) {
            return;
        }
        if (name.isBlank()) {
            // set, so TollgateAutoConfiguration.OnEntryPoint matches and the client bean would want an entry point
            throw new IllegalStateException(TollgateClientFactory.property("entry-point")
                    + " is empty; name the entry point the code generator wrote, such as com.example.flags.Tollgate,"
                    + " or remove the property");
        }
        if (environment.getProperty(TollgateClientFactory.property("schema")) != null) {
            throw new IllegalStateException(TollgateClientFactory.property("schema") + " and "
                    + TollgateClientFactory.property("entry-point")
                    + " are both set; the entry point has its schema compiled in, so remove "
                    + TollgateClientFactory.property("schema"));
        }
        if (environment.getProperty(TollgateClientFactory.property("embedded-snapshot")) != null) {
            throw new IllegalStateException(TollgateClientFactory.property("embedded-snapshot") + " and "
                    + TollgateClientFactory.property("entry-point")
                    + " are both set; the entry point installs the snapshot embedded at build time itself, so remove "
                    + TollgateClientFactory.property("embedded-snapshot"));
        }
        Class<? extends TypedClient> entryPoint = load(name.strip());
        if (registry instanceof ListableBeanFactory beans
                && beans.getBeanNamesForType(entryPoint, true, false).length > 0) {
            return;
        }
        String applicationClient = applicationClient(registry, entryPoint);
        registry.registerBeanDefinition(
                BEAN_NAME,
                applicationClient == null ? definition(entryPoint) : wrapping(entryPoint, applicationClient));
    }

    private <T extends TypedClient> RootBeanDefinition definition(Class<T> entryPoint) {
        RootBeanDefinition definition = new RootBeanDefinition(
                entryPoint,
                () -> beanFactory.getBean(TollgateClientFactory.class).createEntryPoint(entryPoint));
        definition.setDestroyMethodName("close");
        return definition;
    }

    /** The entry point over the application's own client, which its own bean closes. */
    private <T extends TypedClient> RootBeanDefinition wrapping(Class<T> entryPoint, String clientBean) {
        RootBeanDefinition definition = new RootBeanDefinition(
                entryPoint,
                () -> TollgateClientFactory.wrap(entryPoint, beanFactory.getBean(clientBean, TollgateClient.class)));
        definition.setDependsOn(clientBean);
        definition.setDestroyMethodName(""); // not closed here: the application's client bean is
        return definition;
    }

    /**
     * The name of the {@link TollgateClient} bean the application defined itself (the {@code @Primary} one of several),
     * or null. Its bean definitions are registered before any auto-configuration's, and {@link
     * TollgateAutoConfiguration} defines no client of its own beside one (its client beans are conditional on a missing
     * one).
     *
     * @throws IllegalStateException if the application defines several and none, or more than one, is primary
     */
    private static String applicationClient(BeanDefinitionRegistry registry, Class<?> entryPoint) {
        if (!(registry instanceof ListableBeanFactory beans)) {
            return null;
        }
        List<String> clients = new ArrayList<>();
        for (String name : beans.getBeanNamesForType(TollgateClient.class, true, false)) {
            if (!registry.containsBeanDefinition(name)
                    || !TollgateAutoConfiguration.class
                            .getName()
                            .equals(registry.getBeanDefinition(name).getFactoryBeanName())) {
                clients.add(name);
            }
        }
        if (clients.size() <= 1) {
            return clients.isEmpty() ? null : clients.get(0);
        }
        List<String> primary = clients.stream()
                .filter(name -> registry.containsBeanDefinition(name)
                        && registry.getBeanDefinition(name).isPrimary())
                .toList();
        if (primary.size() != 1) {
            throw new IllegalStateException(TollgateClientFactory.property("entry-point")
                    + ": the application defines several TollgateClient beans (" + String.join(", ", clients)
                    + ") and " + (primary.isEmpty() ? "none" : "more than one") + " is @Primary; mark the one "
                    + entryPoint.getName() + " should type @Primary");
        }
        return primary.get(0);
    }

    private Class<? extends TypedClient> load(String name) {
        Class<?> type;
        try {
            type = ClassUtils.forName(name, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException(
                    TollgateClientFactory.property("entry-point") + ": no class " + name
                            + " on the class path; name the entry point the code generator wrote, such as"
                            + " com.example.flags.Tollgate",
                    e);
        }
        if (!TypedClient.class.isAssignableFrom(type)) {
            throw new IllegalStateException(TollgateClientFactory.property("entry-point") + ": " + name
                    + " is not a generated entry point (it does not extend " + TypedClient.class.getName() + ")");
        }
        return type.asSubclass(TypedClient.class);
    }
}
