package dev.tollgate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
