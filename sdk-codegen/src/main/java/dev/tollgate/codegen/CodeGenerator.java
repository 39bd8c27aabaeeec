package dev.tollgate.codegen;

import dev.tollgate.SchemaException;
import dev.tollgate.SchemaProblem;
import dev.tollgate.codegen.internal.JavaGenerator;
import dev.tollgate.internal.schema.SchemaModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Generates typed Java from a Tollgate schema. This is the whole generator behind one call, free of any build tool:
 * the Maven plugin and the command line only turn their settings into a {@link GenerationRequest}.
 *
 * <pre>{@code
 * GenerationResult result = CodeGenerator.generate(request);
 * if (!result.successful()) {
 *     result.errors().forEach(System.err::println); // schema.graphql:7:3: ...
 * } else {
 *     result.write();
 * }
 * }</pre>
 *
 * <p>The output depends only on the request: the same schema and settings give byte-for-byte the same files.
 */
public final class CodeGenerator {
    /** The {@code value} of the {@code @Generated} annotation on every generated class. */
    public static final String GENERATOR_NAME = JavaGenerator.GENERATOR_NAME;

    private CodeGenerator() {}

    /** Parses the schema and generates the sources in memory; nothing is written until {@link GenerationResult#write()}. */
    public static GenerationResult generate(GenerationRequest request) {
        Objects.requireNonNull(request, "request");
        SchemaSources sources = SchemaSources.of(request.schemas());
        SchemaModel schema;
        try {
            schema = sources.model();
        } catch (SchemaException e) {
            List<Diagnostic> diagnostics = new ArrayList<>();
            for (SchemaProblem problem : e.problems()) {
                diagnostics.add(Diagnostic.error(problem));
            }
            return new GenerationResult(request, null, List.of(), diagnostics);
        }
        JavaGenerator.Output output = JavaGenerator.generate(schema, sources, request);
        boolean failed = output.diagnostics().stream().anyMatch(Diagnostic::isError);
        return new GenerationResult(request, schema, failed ? List.of() : output.files(), output.diagnostics());
    }
}
