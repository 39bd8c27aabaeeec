package dev.tollgate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.LogOptions;
import dev.tollgate.ServerOptions;
import dev.tollgate.TollgateClient;
import java.beans.BeanInfo;
import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

/**
 * The IDE metadata the configuration processor writes from {@link TollgateProperties}: every property, described in
 * plain text.
 */
class ConfigurationMetadataTest {
    private static final String METADATA = "META-INF/spring-configuration-metadata.json";

    private static JsonNode metadata;

    @BeforeAll
    static void readOurMetadata() throws IOException {
        // Spring Boot's own jars have a file of that name too: ours is the one with the tollgate.client group
        for (URL url : Collections.list(
                ConfigurationMetadataTest.class.getClassLoader().getResources(METADATA))) {
            try (InputStream in = url.openStream()) {
                JsonNode json = new ObjectMapper().readTree(in);
                for (JsonNode group : json.path("groups")) {
                    if (group.path("name").asText().equals(TollgateProperties.PREFIX)) {
                        metadata = json;
                    }
                }
            }
        }
        assertThat(metadata)
                .as("a " + METADATA + " with the tollgate.client group")
                .isNotNull();
    }

    private static Map<String, JsonNode> tollgateProperties() {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asText();
            if (name.startsWith(TollgateProperties.PREFIX + ".")) {
                properties.put(name, property);
            }
        }
        return properties;
    }

    @Test
    void metadata_listsEveryPropertyOfTheBean_andNoOther() throws IntrospectionException {
        TreeSet<String> expected = new TreeSet<>();
        collect(TollgateProperties.class, TollgateProperties.PREFIX, expected);
        // a guard against a reflection walk that finds nothing
        assertThat(expected).contains("tollgate.client.entry-point", "tollgate.client.server.read-timeout");
        assertThat(new TreeSet<>(tollgateProperties().keySet())).isEqualTo(expected);
    }

    @Test
    void metadata_everyProperty_hasAPlainTextDescriptionAndAType() {
        assertThat(tollgateProperties().values()).allSatisfy(property -> {
            String description = property.path("description").asText();
            assertThat(description).as(property.path("name").asText()).isNotBlank();
            assertThat(description)
                    .as(property.path("name").asText())
                    .doesNotContain("{@", "@code", "@link", "<code>", "<p>", "@param");
            assertThat(property.path("type").asText()).isNotBlank();
        });
    }

    @Test
    void metadata_everyPropertyWithADefault_showsTheSdksDefault() {
        ServerOptions server =
                ServerOptions.builder("https://tollgate.internal", "tgs_token").build();
        LogOptions logs = LogOptions.builder().build();
        Map<String, Object> sdk = new LinkedHashMap<>();
        sdk.put("tollgate.client.enabled", true);
        sdk.put("tollgate.client.readiness-timeout", new TollgateProperties().getReadinessTimeout());
        sdk.put("tollgate.client.snapshot-file-poll-interval", TollgateClient.Builder.DEFAULT_FILE_POLL_INTERVAL);
        sdk.put("tollgate.client.server.streaming", server.streaming());
        sdk.put("tollgate.client.server.poll-interval", server.pollInterval());
        sdk.put("tollgate.client.server.connect-timeout", server.connectTimeout());
        sdk.put("tollgate.client.server.read-timeout", server.readTimeout());
        sdk.put("tollgate.client.last-known-good.max-age", TollgateClient.Builder.DEFAULT_LAST_KNOWN_GOOD_MAX_AGE);
        sdk.put("tollgate.client.logs.enabled", logs.enabled());
        sdk.put("tollgate.client.logs.destination", "auto");
        sdk.put("tollgate.client.logs.flush-interval", logs.flushInterval());
        sdk.put("tollgate.client.logs.max-exposures", logs.maxExposures());
        sdk.put("tollgate.client.logs.max-attempts", logs.maxAttempts());
        sdk.put("tollgate.client.logs.close-timeout", logs.closeTimeout());
        // off, or nothing to default to
        Set<String> none = Set.of(
                "tollgate.client.entry-point",
                "tollgate.client.schema",
                "tollgate.client.embedded-snapshot",
                "tollgate.client.snapshot-file",
                "tollgate.client.public-keys",
                "tollgate.client.server.url",
                "tollgate.client.server.token",
                "tollgate.client.server.environment",
                "tollgate.client.last-known-good.directory");

        Map<String, JsonNode> properties = tollgateProperties();
        assertThat(properties.keySet()).containsExactlyInAnyOrderElementsOf(union(sdk.keySet(), none));
        sdk.forEach((name, expected) -> {
            JsonNode value = properties.get(name).path("defaultValue");
            assertThat(value.isMissingNode()).as(name + " has a defaultValue").isFalse();
            Object actual = expected instanceof java.time.Duration
                    ? DurationStyle.detectAndParse(value.asText())
                    : expected instanceof Boolean
                            ? (Object) value.asBoolean()
                            : expected instanceof Integer ? (Object) value.asInt() : value.asText();
            assertThat(actual).as(name).isEqualTo(expected);
        });
        none.forEach(name -> assertThat(properties.get(name).has("defaultValue"))
                .as(name + " has no defaultValue")
                .isFalse());
    }

    @Test
    void metadata_theHealthContributorsSwitch_isDescribed() {
        JsonNode property = null;
        for (JsonNode candidate : metadata.path("properties")) {
            if (candidate.path("name").asText().equals("management.health.tollgate.enabled")) {
                property = candidate;
            }
        }
        assertThat(property).as("management.health.tollgate.enabled").isNotNull();
        assertThat(property.path("type").asText()).isEqualTo("java.lang.Boolean");
        assertThat(property.path("defaultValue").asBoolean()).isTrue();
        assertThat(property.path("description").asText()).isNotBlank();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void metadata_groups_includeEveryNestedObject() {
        TreeSet<String> groups = new TreeSet<>();
        metadata.path("groups").forEach(group -> groups.add(group.path("name").asText()));
        assertThat(groups)
                .contains(
                        "tollgate.client",
                        "tollgate.client.server",
                        "tollgate.client.last-known-good",
                        "tollgate.client.logs");
    }

    @Test
    void metadata_additionalHints_areMergedIn() {
        JsonNode entryPoint = null;
        for (JsonNode hint : metadata.path("hints")) {
            if (hint.path("name").asText().equals("tollgate.client.entry-point")) {
                entryPoint = hint;
            }
        }
        assertThat(entryPoint).isNotNull();
        assertThat(entryPoint
                        .path("providers")
                        .get(0)
                        .path("parameters")
                        .path("target")
                        .asText())
                .isEqualTo("dev.tollgate.runtime.TypedClient");
    }

    /**
     * The bound properties of {@code type}: those with a setter, and the nested objects (a getter without a setter
     * whose type is one of TollgateProperties' own nested classes), walked into.
     */
    private static void collect(Class<?> type, String prefix, TreeSet<String> names) throws IntrospectionException {
        BeanInfo info = Introspector.getBeanInfo(type, Object.class);
        for (PropertyDescriptor property : info.getPropertyDescriptors()) {
            String name = prefix + "." + kebab(property.getName());
            if (property.getWriteMethod() != null) {
                names.add(name);
            } else if (property.getReadMethod() != null
                    && property.getPropertyType().getDeclaringClass() == TollgateProperties.class) {
                collect(property.getPropertyType(), name, names);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
