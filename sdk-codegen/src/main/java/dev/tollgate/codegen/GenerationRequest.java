package dev.tollgate.codegen;

import dev.tollgate.codegen.internal.JavaNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What to generate: the schema files, the Java package, where the sources go and the names of the generated entry
 * points. Immutable; create one with {@link #builder()}.
 *
 * <pre>{@code
 * GenerationRequest request = GenerationRequest.builder()
 *         .schema(SchemaSource.read(Path.of("src/main/tollgate/schema.graphql"), "schema.graphql"))
 *         .packageName("com.acme.flags")
 *         .outputDirectory(Path.of("target/generated-sources/tollgate"))
 *         .testKitOutputDirectory(Path.of("target/generated-test-sources/tollgate"))
 *         .build();
 * }</pre>
 */
public final class GenerationRequest {
    /** The default name of the entry point class. */
    public static final String DEFAULT_ENTRY_CLASS_NAME = "Tollgate";

    private final List<SchemaSource> schemas;
    private final String packageName;
    private final Path outputDirectory;
    private final Path testKitOutputDirectory;
    private final String entryClassName;
    private final String testKitClassName;
    private final boolean junitExtension;
    private final String extensionClassName;
    private final String buildTimeSnapshotResource;
    private final Map<String, String> typeNames;

    private GenerationRequest(Builder builder) {
        schemas = List.copyOf(builder.schemas);
        packageName = builder.packageName;
        outputDirectory = builder.outputDirectory;
        testKitOutputDirectory = builder.testKitOutputDirectory;
        entryClassName = builder.entryClassName;
        testKitClassName =
                builder.testKitClassName != null ? builder.testKitClassName : builder.entryClassName + "TestKit";
        junitExtension = builder.junitExtension;
        extensionClassName =
                builder.extensionClassName != null ? builder.extensionClassName : builder.entryClassName + "Extension";
        buildTimeSnapshotResource = builder.buildTimeSnapshotResource;
        typeNames = Collections.unmodifiableMap(new TreeMap<>(builder.typeNames));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.schemas.addAll(schemas);
        builder.packageName = packageName;
        builder.outputDirectory = outputDirectory;
        builder.testKitOutputDirectory = testKitOutputDirectory;
        builder.entryClassName = entryClassName;
        builder.testKitClassName = testKitClassName;
        builder.junitExtension = junitExtension;
        builder.extensionClassName = extensionClassName;
        builder.buildTimeSnapshotResource = buildTimeSnapshotResource;
        builder.typeNames.putAll(typeNames);
        return builder;
    }

    /** The schema files, read as one document in this order. */
    public List<SchemaSource> schemas() {
        return schemas;
    }

    /** The Java package of every generated class. */
    public String packageName() {
        return packageName;
    }

    /** The source root the main classes are written under. */
    public Path outputDirectory() {
        return outputDirectory;
    }

    /** The source root the test kit is written under, or {@code null} to generate no test kit. */
    public Path testKitOutputDirectory() {
        return testKitOutputDirectory;
    }

    public boolean generatesTestKit() {
        return testKitOutputDirectory != null;
    }

    /** The entry point class, {@value #DEFAULT_ENTRY_CLASS_NAME} unless set. */
    public String entryClassName() {
        return entryClassName;
    }

    /** The test kit class, the entry class name followed by {@code TestKit} unless set. */
    public String testKitClassName() {
        return testKitClassName;
    }

    /** Whether the test kit includes a JUnit 5 extension (which needs junit-jupiter-api on the test class path). */
    public boolean junitExtension() {
        return junitExtension;
    }

    /** The JUnit 5 extension class, the entry class name followed by {@code Extension} unless set. */
    public String extensionClassName() {
        return extensionClassName;
    }

    /**
     * The classpath resource holding the build-time snapshot that the entry point loads when it is created, or {@code
     * null} for none.
     */
    public String buildTimeSnapshotResource() {
        return buildTimeSnapshotResource;
    }

    /** Java class names for schema types, by schema type name; other types keep their schema names. */
    public Map<String, String> typeNames() {
        return typeNames;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GenerationRequest r
                && schemas.equals(r.schemas)
                && packageName.equals(r.packageName)
                && outputDirectory.equals(r.outputDirectory)
                && Objects.equals(testKitOutputDirectory, r.testKitOutputDirectory)
                && entryClassName.equals(r.entryClassName)
                && testKitClassName.equals(r.testKitClassName)
                && junitExtension == r.junitExtension
                && extensionClassName.equals(r.extensionClassName)
                && Objects.equals(buildTimeSnapshotResource, r.buildTimeSnapshotResource)
                && typeNames.equals(r.typeNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                schemas,
                packageName,
                outputDirectory,
                testKitOutputDirectory,
                entryClassName,
                testKitClassName,
                junitExtension,
                extensionClassName,
                buildTimeSnapshotResource,
                typeNames);
    }

    /** The settings other than the schema text, one per line in a fixed order; suitable for fingerprints. */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        for (SchemaSource schema : schemas) {
            names.add(schema.name());
        }
        return "GenerationRequest[schemas=" + names + ", packageName=" + packageName + ", outputDirectory="
                + outputDirectory + ", testKitOutputDirectory=" + testKitOutputDirectory + ", entryClassName="
                + entryClassName + ", testKitClassName=" + testKitClassName + ", junitExtension=" + junitExtension
                + ", extensionClassName=" + extensionClassName + ", buildTimeSnapshotResource="
                + buildTimeSnapshotResource + ", typeNames=" + typeNames + "]";
    }

    /** Builds a {@link GenerationRequest}; {@link #build()} checks every setting and names the first wrong one. */
    public static final class Builder {
        private final List<SchemaSource> schemas = new ArrayList<>();
        private String packageName;
        private Path outputDirectory;
        private Path testKitOutputDirectory;
        private String entryClassName = DEFAULT_ENTRY_CLASS_NAME;
        private String testKitClassName;
        private boolean junitExtension = true;
        private String extensionClassName;
        private String buildTimeSnapshotResource;
        private final Map<String, String> typeNames = new TreeMap<>();

        private Builder() {}

        /** Adds a schema file; files are read as one document in the order added. */
        public Builder schema(SchemaSource schema) {
            schemas.add(Objects.requireNonNull(schema, "schema"));
            return this;
        }

        /** Replaces the schema files. */
        public Builder schemas(List<SchemaSource> schemas) {
            this.schemas.clear();
            schemas.forEach(this::schema);
            return this;
        }

        public Builder packageName(String packageName) {
            this.packageName = Objects.requireNonNull(packageName, "packageName");
            return this;
        }

        public Builder outputDirectory(Path outputDirectory) {
            this.outputDirectory = Objects.requireNonNull(outputDirectory, "outputDirectory");
            return this;
        }

        /** Where the test kit goes; {@code null} (the default) generates none. */
        public Builder testKitOutputDirectory(Path testKitOutputDirectory) {
            this.testKitOutputDirectory = testKitOutputDirectory;
            return this;
        }

        public Builder entryClassName(String entryClassName) {
            this.entryClassName = Objects.requireNonNull(entryClassName, "entryClassName");
            return this;
        }

        public Builder testKitClassName(String testKitClassName) {
            this.testKitClassName = testKitClassName;
            return this;
        }

        /** Whether to generate the JUnit 5 extension with the test kit; true unless set. */
        public Builder junitExtension(boolean junitExtension) {
            this.junitExtension = junitExtension;
            return this;
        }

        public Builder extensionClassName(String extensionClassName) {
            this.extensionClassName = extensionClassName;
            return this;
        }

        /** The classpath resource of the build-time snapshot, such as {@code com/acme/flags/snapshot.json}. */
        public Builder buildTimeSnapshotResource(String resource) {
            this.buildTimeSnapshotResource = resource;
            return this;
        }

        /** Names the Java class generated for a schema type, for example {@code Root} to {@code Flags}. */
        public Builder typeName(String schemaTypeName, String javaClassName) {
            typeNames.put(
                    Objects.requireNonNull(schemaTypeName, "schemaTypeName"),
                    Objects.requireNonNull(javaClassName, "javaClassName"));
            return this;
        }

        public Builder typeNames(Map<String, String> typeNames) {
            this.typeNames.clear();
            typeNames.forEach(this::typeName);
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first setting that is missing or not valid
         */
        public GenerationRequest build() {
            if (schemas.isEmpty()) {
                throw new IllegalArgumentException("no schema files: add at least one");
            }
            if (packageName == null) {
                throw new IllegalArgumentException("packageName is required, for example com.acme.flags");
            }
            if (!JavaNames.isPackageName(packageName)) {
                throw new IllegalArgumentException(
                        "packageName \"" + packageName + "\" is not a Java package name such as com.acme.flags");
            }
            if (outputDirectory == null) {
                throw new IllegalArgumentException("outputDirectory is required");
            }
            checkClassName("entryClassName", entryClassName);
            checkNotBuilder("entryClassName", entryClassName, "the entry point");
            if (testKitClassName != null) {
                checkClassName("testKitClassName", testKitClassName);
                checkNotBuilder("testKitClassName", testKitClassName, "the test kit");
            }
            if (extensionClassName != null) {
                checkClassName("extensionClassName", extensionClassName);
            }
            checkFileName("entryClassName", entryClassName + "$Builder.class");
            if (testKitOutputDirectory != null) {
                String kit = testKitClassName != null ? testKitClassName : entryClassName + "TestKit";
                checkFileName(testKitClassName != null ? "testKitClassName" : "entryClassName", kit + "$Builder.class");
                if (junitExtension) {
                    String extension = extensionClassName != null ? extensionClassName : entryClassName + "Extension";
                    checkFileName(
                            extensionClassName != null ? "extensionClassName" : "entryClassName", extension + ".class");
                }
            }
            typeNames.forEach((schemaName, javaName) -> checkClassName("typeNames[" + schemaName + "]", javaName));
            if (buildTimeSnapshotResource != null
                    && (buildTimeSnapshotResource.isEmpty()
                            || buildTimeSnapshotResource.startsWith("/")
                            || buildTimeSnapshotResource.contains("\\"))) {
                throw new IllegalArgumentException("buildTimeSnapshotResource \"" + buildTimeSnapshotResource
                        + "\" must be a relative classpath resource name such as com/acme/flags/snapshot.json");
            }
            return new GenerationRequest(this);
        }

        private static void checkFileName(String setting, String classFile) {
            int bytes = JavaNames.fileNameBytes(classFile);
            if (bytes > JavaNames.MAX_FILE_NAME_BYTES) {
                throw new IllegalArgumentException(setting + " is too long: the class file " + classFile
                        + " would have a name of " + bytes + " bytes, more than the " + JavaNames.MAX_FILE_NAME_BYTES
                        + " file systems reliably allow");
            }
        }

        private static void checkNotBuilder(String setting, String name, String what) {
            if (name.equals("Builder")) {
                throw new IllegalArgumentException(setting + " \"" + name + "\" is the name of the builder class nested"
                        + " in " + what + ", which cannot have it too; choose another name");
            }
        }

        private static void checkClassName(String setting, String name) {
            if (!JavaNames.isTypeName(name)) {
                throw new IllegalArgumentException(
                        setting + " \"" + name + "\" is not a valid Java class name (a simple name, not a keyword)");
            }
        }
    }
}
