package dev.tollgate.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GenerationRequestTest {

    private static GenerationRequest.Builder valid() {
        return GenerationRequest.builder()
                .schema(new SchemaSource("schema.graphql", "type Root { a: Int }"))
                .packageName("com.acme.flags")
                .outputDirectory(Path.of("out"));
    }

    @Test
    void defaults_deriveTheTestKitAndExtensionNamesFromTheEntryClass() {
        GenerationRequest request = valid().entryClassName("Flags").build();

        assertThat(request.testKitClassName()).isEqualTo("FlagsTestKit");
        assertThat(request.extensionClassName()).isEqualTo("FlagsExtension");
        assertThat(request.junitExtension()).isTrue();
        assertThat(request.generatesTestKit()).isFalse();
        assertThat(request.buildTimeSnapshotResource()).isNull();
    }

    @Test
    void toBuilder_roundTrips() {
        GenerationRequest request = valid().testKitOutputDirectory(Path.of("test"))
                .typeName("Root", "Flags")
                .buildTimeSnapshotResource("com/acme/snapshot.json")
                .build();

        assertThat(request.toBuilder().build()).isEqualTo(request).hasSameHashCodeAs(request);
        assertThat(request.toBuilder().packageName("other").build()).isNotEqualTo(request);
    }

    @Test
    void toString_listsEverySettingButNotTheSchemaText() {
        assertThat(valid().build().toString())
                .contains("schemas=[schema.graphql]", "packageName=com.acme.flags", "entryClassName=Tollgate")
                .doesNotContain("type Root");
    }

    @Test
    void build_rejectsMissingAndInvalidSettings_namingThem() {
        assertThatThrownBy(() -> GenerationRequest.builder().build()).hasMessage("no schema files: add at least one");
        assertThatThrownBy(() -> valid().packageName("com.acme.class").build())
                .hasMessage("packageName \"com.acme.class\" is not a Java package name such as com.acme.flags");
        assertThatThrownBy(() -> valid().packageName("").build()).hasMessageStartingWith("packageName \"\"");
        assertThatThrownBy(() -> valid().entryClassName("my-flags").build())
                .hasMessage(
                        "entryClassName \"my-flags\" is not a valid Java class name (a simple name, not a keyword)");
        assertThatThrownBy(() -> valid().entryClassName("Builder").build())
                .hasMessage("entryClassName \"Builder\" is the name of the builder class nested in the entry point,"
                        + " which cannot have it too; choose another name");
        assertThatThrownBy(() -> valid().testKitClassName("Builder").build())
                .hasMessageStartingWith(
                        "testKitClassName \"Builder\" is the name of the builder class nested in the" + " test kit");
        assertThatThrownBy(() -> valid().entryClassName("T".repeat(190)).build())
                .hasMessage("entryClassName is too long: the class file " + "T".repeat(190) + "$Builder.class would"
                        + " have a name of 204 bytes, more than the 200 file systems reliably allow");
        assertThatThrownBy(() -> valid().testKitOutputDirectory(Path.of("test"))
                        .entryClassName("T".repeat(180))
                        .build())
                .hasMessageStartingWith("entryClassName is too long: the class file " + "T".repeat(180)
                        + "TestKit$Builder.class would have a name of 201 bytes");
        assertThatThrownBy(() -> valid().testKitOutputDirectory(Path.of("test"))
                        .extensionClassName("X".repeat(195))
                        .build())
                .hasMessageStartingWith("extensionClassName is too long");
        assertThatThrownBy(() -> valid().typeName("Root", "record").build())
                .hasMessageStartingWith("typeNames[Root] \"record\" is not a valid Java class name");
        assertThatThrownBy(() -> valid().buildTimeSnapshotResource("/abs.json").build())
                .hasMessageStartingWith("buildTimeSnapshotResource \"/abs.json\" must be a relative classpath");
        assertThatThrownBy(() -> GenerationRequest.builder()
                        .schema(new SchemaSource("s", ""))
                        .outputDirectory(Path.of("o"))
                        .build())
                .hasMessage("packageName is required, for example com.acme.flags");
    }
}
