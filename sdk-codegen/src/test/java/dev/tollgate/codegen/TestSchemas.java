package dev.tollgate.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The schemas and requests the generator tests share. */
final class TestSchemas {
    static final String SEED = "seed";
    static final String CATALOG = "catalog";
    static final String TRICKY = "tricky";

    private TestSchemas() {}

    static String resource(String name) {
        try (InputStream in = TestSchemas.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SchemaSource schema(String name) {
        return new SchemaSource(name + ".graphql", resource("schemas/" + name + ".graphql"));
    }

    /** The request each golden case is generated with. */
    static GenerationRequest request(String name, Path output) {
        GenerationRequest.Builder request = GenerationRequest.builder()
                .schema(schema(name))
                .packageName("com.acme." + name)
                .outputDirectory(output.resolve("main"))
                .testKitOutputDirectory(output.resolve("test"));
        if (name.equals(CATALOG)) {
            request.buildTimeSnapshotResource("com/acme/catalog/snapshot.json").entryClassName("Catalog");
        }
        return request.build();
    }
}
