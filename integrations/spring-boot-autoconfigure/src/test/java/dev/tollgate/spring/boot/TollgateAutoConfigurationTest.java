package dev.tollgate.spring.boot;

import static dev.tollgate.spring.boot.TestSupport.BIG;
import static dev.tollgate.spring.boot.TestSupport.BUILD_TIME_SOURCE;
import static dev.tollgate.spring.boot.TestSupport.ENTRY_POINT;
import static dev.tollgate.spring.boot.TestSupport.FREE;
import static dev.tollgate.spring.boot.TestSupport.PRO;
import static dev.tollgate.spring.boot.TestSupport.tollgateMessage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.ClientStatus;
import dev.tollgate.DynamicInput;
import dev.tollgate.LogOptions;
import dev.tollgate.TollgateClient;
import dev.tollgate.UntypedRoot;
import dev.tollgate.runtime.TypedClient;
import dev.tollgate.spi.LogBatch;
import dev.tollgate.spi.LogSink;
import dev.tollgate.spring.boot.test.flags.Tollgate;
import dev.tollgate.spring.boot.test.flags.TollgateTestKit;
import dev.tollgate.testing.SnapshotBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Which beans {@link TollgateAutoConfiguration} makes, from what, and how it fails. */
class TollgateAutoConfigurationTest {
    private static final String SCHEMA = "tollgate.client.schema=classpath:tollgate/schema.graphql";
    private static final String EMBEDDED = "tollgate.client.embedded-snapshot=tollgate/snapshot.json";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    TollgateAutoConfiguration.class,
                    TollgateActuatorAutoConfiguration.class,
                    TollgateMetricsAutoConfiguration.class));

    // Conditions

    @Test
    void entryPoint_set_isABeanOfItsClassWithTheBuildTimeSnapshot_andItsClientIsTheClientBean() {
        runner.withPropertyValues(ENTRY_POINT).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeanNamesForType(Tollgate.class)).containsExactly(EntryPointRegistrar.BEAN_NAME);
            Tollgate tollgate = context.getBean(Tollgate.class);
            assertThat(context.getBean(TollgateClient.class)).isSameAs(tollgate.client());
            assertThat(context).getBeans(TollgateClient.class).hasSize(1);

            assertThat(tollgate.revision()).isEqualTo(3);
            assertThat(tollgate.client().status().source()).contains(BUILD_TIME_SOURCE);
            assertThat(tollgate.root(PRO).entitlements().maxSeats(1)).isEqualTo(50);
            assertThat(tollgate.root(FREE).entitlements().maxSeats(1)).isEqualTo(10);
            assertThat(tollgate.root(BIG).entitlements().maxSeats(1)).isEqualTo(500);
            assertThat(tollgate.root(PRO).entitlements().auditLogEnabled(false)).isTrue();
            assertThat(tollgate.root(FREE).entitlements().auditLogEnabled(true)).isFalse();
        });
    }

    @Test
    void neitherEntryPointNorSchema_noClient() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TollgateClient.class);
            assertThat(context).doesNotHaveBean(TypedClient.class);
            assertThat(context).doesNotHaveBean(TollgateEndpoint.class);
            assertThat(context).doesNotHaveBean(TollgateHealthIndicator.class);
            assertThat(context).hasSingleBean(TollgateProperties.class);
        });
    }

    @Test
    void enabledFalse_withAnEntryPoint_noBeansAtAll() {
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TollgateClient.class);
            assertThat(context).doesNotHaveBean(TypedClient.class);
            assertThat(context).doesNotHaveBean(TollgateClientFactory.class);
            assertThat(context).doesNotHaveBean(TollgateProperties.class);
        });
    }

    @Test
    void enabledFalse_withABadEntryPoint_doesNotFail() {
        runner.withPropertyValues("tollgate.client.entry-point=com.example.Missing", "tollgate.client.enabled=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void applicationEntryPointBean_withEntryPointSet_isNotRegisteredAgain_andItsClientIsTheClientBean() {
        runner.withPropertyValues(ENTRY_POINT)
                .withUserConfiguration(TestKitConfiguration.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeanNamesForType(Tollgate.class)).containsExactly("tollgate");
                    Tollgate tollgate = context.getBean(Tollgate.class);
                    assertThat(tollgate)
                            .isSameAs(context.getBean(TestKitConfiguration.class)
                                    .kit
                                    .tollgate());
                    assertThat(context.getBean(TollgateClient.class)).isSameAs(tollgate.client());
                    assertThat(tollgate.root(PRO).entitlements().maxSeats(1)).isEqualTo(2);
                });
    }

    @Test
    void applicationEntryPointBean_withoutEntryPointSet_itsClientIsTheClientBean() {
        runner.withUserConfiguration(TestKitConfiguration.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(TollgateClient.class))
                    .isSameAs(context.getBean(TestKitConfiguration.class).kit.client());
        });
    }

    @Test
    void applicationClientBean_withEntryPointSet_winsOverTheEntryPointsClient() {
        runner.withPropertyValues(ENTRY_POINT)
                .withUserConfiguration(ClientConfiguration.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBeans(TollgateClient.class).containsOnlyKeys("applicationClient");
                    assertThat(context.getBean(TollgateClient.class).revision()).isEqualTo(9);
                    Tollgate tollgate = context.getBean(Tollgate.class);
                    assertThat(tollgate.client())
                            .as("the entry point types the application's client instead of building a second one")
                            .isSameAs(context.getBean(TollgateClient.class));
                    assertThat(tollgate.root(FREE).entitlements().maxSeats(1)).isEqualTo(9);
                });
    }

    @Test
    void applicationClientBean_withEntryPointSet_staysOpenUntilItsOwnBeanIsDestroyed() {
        runner.withPropertyValues(ENTRY_POINT)
                .withUserConfiguration(ClientConfiguration.class)
                .run(context -> {
                    TollgateClient client = context.getBean(TollgateClient.class);
                    context.getBeanFactory()
                            .destroyBean(EntryPointRegistrar.BEAN_NAME, context.getBean(Tollgate.class));
                    assertThat(client.isClosed()).isFalse();
                    context.close();
                    assertThat(client.isClosed()).isTrue();
                });
    }

    @Test
    void twoApplicationClientBeans_onePrimary_withEntryPointSet_theEntryPointTypesThePrimary() {
        runner.withPropertyValues(ENTRY_POINT)
                .withUserConfiguration(TestSupport.TwoClientsOnePrimary.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Tollgate.class).client())
                            .isSameAs(context.getBean("primaryClient", TollgateClient.class));
                });
    }

    @Test
    void twoApplicationClientBeans_nonePrimary_withEntryPointSet_failsNamingTheEntryPointAndTheBeans() {
        runner.withPropertyValues(ENTRY_POINT)
                .withUserConfiguration(TestSupport.TwoClients.class)
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.entry-point: the application defines several TollgateClient beans"
                                + " (firstClient, secondClient) and none is @Primary; mark the one "
                                + Tollgate.class.getName() + " should type @Primary"));
    }

    @Test
    void applicationClientBean_ofAnotherSchema_withEntryPointSet_failsNamingTheEntryPoint() {
        runner.withPropertyValues(ENTRY_POINT)
                .withUserConfiguration(OtherSchemaClientConfiguration.class)
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .startsWith("tollgate.client.entry-point: " + Tollgate.class.getName()
                                + " cannot wrap the application's TollgateClient bean: the client's schema sha256:")
                        .endsWith(" is not the schema this code was generated from, " + Tollgate.SCHEMA_HASH));
    }

    @Test
    void applicationClientBean_withSchemaSet_winsOverTheSchemaClient() {
        runner.withPropertyValues(SCHEMA, EMBEDDED)
                .withUserConfiguration(ClientConfiguration.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBeans(TollgateClient.class).containsOnlyKeys("applicationClient");
                    assertThat(context.getBean(TollgateClient.class).revision()).isEqualTo(9);
                });
    }

    @Test
    void withoutSdkCoreOnTheClassPath_nothing() {
        runner.withPropertyValues(ENTRY_POINT)
                .withClassLoader(new FilteredClassLoader(TollgateClient.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(TollgateProperties.class);
                    assertThat(context).doesNotHaveBean(TollgateClientFactory.class);
                    assertThat(context).doesNotHaveBean(EntryPointRegistrar.BEAN_NAME);
                    assertThat(context).doesNotHaveBean(TollgateEndpoint.class);
                });
    }

    // Entry point errors

    @Test
    void entryPoint_unknownClass_failsNamingTheProperty() {
        runner.withPropertyValues("tollgate.client.entry-point=com.example.flags.Missing")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.entry-point: no class com.example.flags.Missing on the class path;"
                                + " name the entry point the code generator wrote, such as"
                                + " com.example.flags.Tollgate"));
    }

    @Test
    void entryPoint_empty_failsNamingTheProperty() {
        runner.withPropertyValues("tollgate.client.entry-point=")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.entry-point is empty; name the entry point the code generator"
                                + " wrote, such as com.example.flags.Tollgate, or remove the property"));
    }

    @Test
    void entryPoint_notATypedClient_failsNamingTheProperty() {
        runner.withPropertyValues("tollgate.client.entry-point=java.lang.String")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo(
                                "tollgate.client.entry-point: java.lang.String is not a generated entry point (it does"
                                        + " not extend dev.tollgate.runtime.TypedClient)"));
    }

    @Test
    void entryPoint_aTypedClientWithoutBuilder_failsNamingTheProperty() {
        runner.withPropertyValues("tollgate.client.entry-point=" + HandWritten.class.getName())
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.entry-point: " + HandWritten.class.getName()
                                + " is not a generated entry point: it has no public static builder() method"));
    }

    @Test
    void entryPointAndSchema_bothSet_failsSayingWhichToRemove() {
        runner.withPropertyValues(ENTRY_POINT, SCHEMA)
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.schema and tollgate.client.entry-point are both set; the entry"
                                + " point has its schema compiled in, so remove tollgate.client.schema"));
    }

    @Test
    void entryPointAndEmbeddedSnapshot_bothSet_failsSayingWhichToRemove() {
        // the embedded snapshot is the schema client's; the entry point would ignore it
        runner.withPropertyValues(ENTRY_POINT, EMBEDDED)
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.embedded-snapshot and tollgate.client.entry-point are both set; the"
                                + " entry point installs the snapshot embedded at build time itself, so remove"
                                + " tollgate.client.embedded-snapshot"));
    }

    // Schema mode

    @Test
    void schema_withEmbeddedSnapshot_isAnUntypedClientThatEvaluates() {
        runner.withPropertyValues(SCHEMA, EMBEDDED).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(TollgateClient.class);
            assertThat(context).doesNotHaveBean(TypedClient.class);
            TollgateClient client = context.getBean(TollgateClient.class);
            assertThat(client.schema().hash()).isEqualTo(Tollgate.SCHEMA_HASH);
            assertThat(client.revision()).isEqualTo(3);
            assertThat(client.status().source()).contains("embedded(tollgate/snapshot.json)");
            assertThat(seats(client, "org_a", "PRO")).isEqualTo(50);
            assertThat(seats(client, "org_b", "FREE")).isEqualTo(10);
            assertThat(seats(client, "org_big", "FREE")).isEqualTo(500);
        });
    }

    @Test
    void schema_withoutEmbeddedSnapshot_isAClientWithoutSnapshot() {
        runner.withPropertyValues(SCHEMA).run(context -> {
            TollgateClient client = context.getBean(TollgateClient.class);
            assertThat(client.revision()).isZero();
            assertThat(client.isReady()).isFalse();
            assertThat(seats(client, "org_a", "PRO")).isEqualTo(-1);
        });
    }

    @Test
    void schema_withASyntaxError_failsNamingThePropertyAndTheLine() {
        runner.withPropertyValues("tollgate.client.schema=classpath:tollgate/broken.graphql")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.schema: broken.graphql:4:52: expected ':' but found 'Boolean'"));
    }

    @Test
    void schema_missing_failsNamingThePropertyAndTheResource() {
        runner.withPropertyValues("tollgate.client.schema=classpath:tollgate/missing.graphql")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .startsWith(
                                "tollgate.client.schema: cannot read class path resource [tollgate/missing.graphql]"));
    }

    @Test
    void embeddedSnapshot_missing_failsNamingTheProperty() {
        runner.withPropertyValues(SCHEMA, "tollgate.client.embedded-snapshot=tollgate/missing.json")
                .run(context -> assertThat(tollgateMessage(context.getStartupFailure()))
                        .isEqualTo("tollgate.client.embedded-snapshot: no classpath resource tollgate/missing.json"));
    }

    // Customizers and shutdown

    @Test
    void customizers_areAppliedAfterTheProperties_inOrderOrder() {
        runner.withPropertyValues(ENTRY_POINT, "tollgate.client.logs.enabled=false")
                .withUserConfiguration(OrderedCustomizers.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(OrderedCustomizers.class).calls).containsExactly("first", "second");
                    // logs.enabled=false turned the logs off; the customizer, applied afterwards, turned them on
                    TollgateClient client = context.getBean(TollgateClient.class);
                    assertThat(client.metrics().countsEvaluations()).isTrue();
                });
    }

    @Test
    void customizers_applyToTheSchemaClientToo() {
        runner.withPropertyValues(SCHEMA, "tollgate.client.logs.enabled=false")
                .withUserConfiguration(OrderedCustomizers.class)
                .run(context -> {
                    assertThat(context.getBean(OrderedCustomizers.class).calls).containsExactly("first", "second");
                    assertThat(context.getBean(TollgateClient.class).metrics().countsEvaluations())
                            .isTrue();
                });
    }

    @Test
    void close_entryPoint_closesTheClientAndFlushesTheEvaluationsToTheSink() {
        RecordingSink sink = new RecordingSink();
        AtomicReference<Tollgate> bean = new AtomicReference<>();
        runner.withPropertyValues(ENTRY_POINT)
                .withBean(
                        TollgateClientBuilderCustomizer.class,
                        () -> builder -> builder.logs(LogOptions.builder()
                                .sink(sink)
                                .flushInterval(Duration.ofHours(1))
                                .build()))
                .run(context -> {
                    Tollgate tollgate = context.getBean(Tollgate.class);
                    bean.set(tollgate);
                    for (int i = 0; i < 3; i++) {
                        tollgate.root(PRO).entitlements().maxSeats(1);
                    }
                    tollgate.root(FREE).entitlements().maxSeats(1);
                    tollgate.root(FREE).entitlements().maxSeats(1);
                    tollgate.root(BIG).entitlements().auditLogEnabled(true);
                    assertThat(tollgate.client().isClosed()).isFalse();
                    assertThat(sink.count("entitlements.maxSeats", "rule:pro")).isZero();
                });
        assertThat(bean.get().client().isClosed()).isTrue();
        assertThat(sink.count("entitlements.maxSeats", "rule:pro")).isEqualTo(3);
        assertThat(sink.count("entitlements.maxSeats", "default")).isEqualTo(2);
        assertThat(sink.count("entitlements.auditLogEnabled", "default")).isEqualTo(1);
        assertThat(sink.batches)
                .allSatisfy(batch -> assertThat(batch.revision()).isEqualTo(3));
    }

    @Test
    void close_schemaClient_closesTheClient() {
        AtomicReference<TollgateClient> bean = new AtomicReference<>();
        runner.withPropertyValues(SCHEMA, EMBEDDED).run(context -> {
            bean.set(context.getBean(TollgateClient.class));
            assertThat(bean.get().isClosed()).isFalse();
        });
        assertThat(bean.get().isClosed()).isTrue();
        assertThat(bean.get().status().state()).isEqualTo(ClientStatus.State.OFF);
    }

    private static int seats(TollgateClient client, String organization, String plan) {
        UntypedRoot root = client.root(DynamicInput.context(
                client.schema(), Map.of("organization", Map.of("id", organization, "plan", plan))));
        return root.intValue("entitlements.maxSeats", -1);
    }

    /** A log sink that keeps every batch. */
    static final class RecordingSink implements LogSink {
        final List<LogBatch> batches = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Void> send(LogBatch batch) {
            batches.add(batch);
            return CompletableFuture.completedFuture(null);
        }

        long count(String field, String outcome) {
            return batches.stream()
                    .flatMap(batch -> batch.evaluations().stream())
                    .filter(count ->
                            count.field().equals(field) && count.outcome().equals(outcome))
                    .mapToLong(LogBatch.EvaluationCount::count)
                    .sum();
        }
    }

    /** An application that defines its entry point itself, from the generated test kit. */
    @Configuration(proxyBeanMethods = false)
    static class TestKitConfiguration {
        final TollgateTestKit kit =
                TollgateTestKit.builder().entitlements(e -> e.maxSeats(2)).build();

        @Bean
        Tollgate tollgate() {
            return kit.tollgate();
        }
    }

    /** An application that builds its client itself, at revision 9. */
    @Configuration(proxyBeanMethods = false)
    static class ClientConfiguration {
        @Bean
        TollgateClient applicationClient() {
            TollgateClient client = TollgateClient.builder(Tollgate.schema())
                    .logs(LogOptions.disabled())
                    .build();
            SnapshotBuilder.forSchema(Tollgate.schema())
                    .revision(9)
                    .value("entitlements.maxSeats", 9)
                    .installInto(client);
            return client;
        }
    }

    /** An application whose own client is for another schema than the entry point's. */
    @Configuration(proxyBeanMethods = false)
    static class OtherSchemaClientConfiguration {
        @Bean(destroyMethod = "close")
        TollgateClient applicationClient() {
            return TollgateClient.builder(dev.tollgate.Schema.parse(
                            "input Context { id: String! } type Root { on: Boolean! }", "other.graphql"))
                    .logs(LogOptions.disabled())
                    .build();
        }
    }

    /** Two customizers, declared in the opposite of their order; the first turns logging on. */
    @Configuration(proxyBeanMethods = false)
    static class OrderedCustomizers {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Bean
        @Order(2)
        TollgateClientBuilderCustomizer second() {
            return builder -> calls.add("second");
        }

        @Bean
        @Order(1)
        TollgateClientBuilderCustomizer first() {
            return builder -> {
                calls.add("first");
                builder.logs(
                        LogOptions.builder().flushInterval(Duration.ofHours(1)).build());
            };
        }
    }

    /** A subclass of TypedClient that the code generator did not write: no builder. */
    static final class HandWritten extends TypedClient {
        HandWritten(TollgateClient client) {
            super(client, client.schema());
        }
    }
}
