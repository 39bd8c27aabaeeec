package dev.tollgate.codegen.internal;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.tollgate.internal.schema.EnumTypeDefinition;
import dev.tollgate.internal.schema.TypeRef;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Emits the entry point: a typed wrapper around a {@code TollgateClient} for the embedded schema, handing out roots of
 * the generated root type. What does not depend on the schema (loading snapshots, revision, logs, closing, the builder's
 * options) is inherited from {@code TypedClient} and {@code TypedClientBuilder}; the entry point has only the schema,
 * its factories, {@code root} and its builder's {@code build()}.
 */
final class EntryPointEmitter {
    /** Longer schemas are embedded in pieces: a class file constant holds at most 65535 bytes of UTF-8. */
    private static final int CONSTANT_CHARS = 16_000;

    /**
     * Where the embedded schema's first literal starts: after its declaration, with {@code String} written qualified
     * as it is when a generated class is named {@code String}.
     */
    private static final int SDL_FIELD_COLUMN = "    private static final java.lang.String SCHEMA_SDL = ".length();

    /** Where the embedded schema's continuation lines start: a member's indent and eight. */
    private static final int SDL_FIELD_CONTINUATION = 12;

    /** Where a piece of a split schema starts: on its own line in {@code embeddedSchemaSdl()}'s statement. */
    private static final int SDL_PIECE_COLUMN = 16;

    /** Where a piece's continuation lines start. */
    private static final int SDL_PIECE_CONTINUATION = SDL_PIECE_COLUMN + 8;

    private final Model model;

    EntryPointEmitter(Model model) {
        this.model = model;
    }

    TypeSpec emit() {
        ClassName entry = model.entry;
        ClassName root = model.rootNode().className();
        ClassName context = model.contextClass();
        ClassName builder = entry.nestedClass(Model.BUILDER);
        TypeSpec.Builder type = TypeSpec.classBuilder(entry)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .superclass(Emitters.TYPED_CLIENT)
                .addJavadoc(
                        "Typed entitlements for the schema in {@code $L}: a {@link $T} for that schema that hands out"
                                + " {@link $T} roots.\n\n",
                        Docs.escape(model.sources.name()),
                        Emitters.CLIENT,
                        root)
                .addJavadoc(example(root, context))
                .addJavadoc("<p>Thread-safe. Snapshots are validated against the schema as a whole before they are"
                        + " installed; an invalid one is rejected and the last good one stays. Create one per"
                        + " application and {@link #close()} it on shutdown, which flushes the evaluation logs.\n")
                .addAnnotation(Emitters.generated(model));
        addSchema(type);
        String client = model.variable("client");
        type.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addParameter(Emitters.CLIENT, client)
                .addStatement("super($N, SCHEMA)", client)
                .build());
        addFactories(type, entry, builder);
        addRoot(type, root, context);
        type.addType(builderType(entry, builder));
        return type.build();
    }

    /** The schema hash, the embedded SDL and the schema parsed from it, checked when the class loads. */
    private void addSchema(TypeSpec.Builder type) {
        type.addField(FieldSpec.builder(String.class, "SCHEMA_HASH", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The hash of the schema this code was generated from, as snapshots declare it.\n")
                .initializer("$S", model.schema.hash())
                .build());
        if (model.request.buildTimeSnapshotResource() != null) {
            type.addField(FieldSpec.builder(
                            String.class,
                            "BUILD_TIME_SNAPSHOT_RESOURCE",
                            Modifier.PUBLIC,
                            Modifier.STATIC,
                            Modifier.FINAL)
                    .addJavadoc("The classpath resource of the snapshot embedded at build time.\n")
                    .initializer("$S", model.request.buildTimeSnapshotResource())
                    .build());
        }
        type.addField(FieldSpec.builder(String.class, "LAYOUT_DIGEST", Modifier.PRIVATE, Modifier.STATIC)
                .addModifiers(Modifier.FINAL)
                .initializer("$S", model.layoutDigest)
                .build());
        String sdl = model.sources.text();
        boolean split = sdl.length() > CONSTANT_CHARS;
        if (!split) {
            type.addField(FieldSpec.builder(String.class, "SCHEMA_SDL", Modifier.PRIVATE, Modifier.STATIC)
                    .addModifiers(Modifier.FINAL)
                    .initializer(StringLiterals.concatenation(sdl, SDL_FIELD_COLUMN, SDL_FIELD_CONTINUATION))
                    .build());
        }
        type.addField(FieldSpec.builder(Emitters.SCHEMA, "SCHEMA", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer(
                        "$T.loadSchema($L,$W$S,$WSCHEMA_HASH,$WLAYOUT_DIGEST)",
                        model.support,
                        split ? "embeddedSchemaSdl()" : "SCHEMA_SDL",
                        model.sources.name())
                .build());
        if (split) {
            type.addMethod(splitSdl(sdl));
        }
        type.addMethod(MethodSpec.methodBuilder("schema")
                .addJavadoc("The schema this code was generated from.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(Emitters.SCHEMA)
                .addStatement("return SCHEMA")
                .build());
    }

    private void addFactories(TypeSpec.Builder type, ClassName entry, ClassName builder) {
        String client = model.variable("client");
        type.addMethod(MethodSpec.methodBuilder("create")
                .addJavadoc(
                        "A new instance with default options$L.\n",
                        model.request.buildTimeSnapshotResource() == null
                                ? "; every accessor returns its fallback until a snapshot is loaded"
                                : ", with the build-time snapshot loaded")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(entry)
                .addStatement("return builder().build()")
                .build());
        type.addMethod(MethodSpec.methodBuilder("builder")
                .addJavadoc("A builder for an instance with options.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(builder)
                .addStatement("return new Builder()")
                .build());
        type.addMethod(MethodSpec.methodBuilder("wrap")
                .addJavadoc("Typed access through an existing client.\n\n")
                .addJavadoc("@param $N a client for this schema\n", client)
                .addJavadoc("@return the client, typed\n")
                .addJavadoc("@throws IllegalArgumentException if the client's schema is not this one\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(entry)
                .addParameter(Emitters.CLIENT, client)
                .addStatement("return new $T($N)", entry, client)
                .build());
    }

    private void addRoot(TypeSpec.Builder type, ClassName root, ClassName context) {
        String parameter = model.variable("context");
        type.addMethod(MethodSpec.methodBuilder("root")
                .addJavadoc(
                        "A root for {@code $N}, pinned to the snapshot installed now: every read through it sees"
                                + " that revision. Cheap; take one per request.\n\n",
                        parameter)
                .addJavadoc("@param $N what to evaluate for\n@return the typed root\n", parameter)
                .addModifiers(Modifier.PUBLIC)
                .returns(root)
                .addParameter(context, parameter)
                .addStatement("return new $T(reader($N), $N)", root, parameter, parameter)
                .build());
    }

    private TypeSpec builderType(ClassName entry, ClassName builder) {
        boolean embedded = model.request.buildTimeSnapshotResource() != null;
        String buildTimeSnapshot = model.variable("buildTimeSnapshot");
        String load = model.variable("load");
        TypeSpec.Builder type = TypeSpec.classBuilder(builder)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .superclass(ParameterizedTypeName.get(Emitters.TYPED_CLIENT_BUILDER, builder))
                .addJavadoc("Builds a {@link $T}.\n", entry);
        if (embedded) {
            type.addField(FieldSpec.builder(TypeName.BOOLEAN, buildTimeSnapshot, Modifier.PRIVATE)
                    .initializer("true")
                    .build());
        }
        type.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addStatement("super(SCHEMA)")
                .build());
        if (embedded) {
            type.addMethod(MethodSpec.methodBuilder("buildTimeSnapshot")
                    .addJavadoc(
                            "Whether {@link #build()} loads the snapshot embedded at build time ({@value"
                                    + " $T#BUILD_TIME_SNAPSHOT_RESOURCE}); true unless set.\n\n",
                            entry)
                    .addJavadoc("@param $N whether to load it\n@return this builder\n", load)
                    .addModifiers(Modifier.PUBLIC)
                    .returns(builder)
                    .addParameter(TypeName.BOOLEAN, load)
                    .addStatement("this.$N = $N", buildTimeSnapshot, load)
                    .addStatement("return this")
                    .build());
        }
        MethodSpec.Builder build = MethodSpec.methodBuilder("build")
                .addJavadoc("The instance.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(entry);
        if (!embedded) {
            build.addStatement("return new $T(clientBuilder().build())", entry);
        } else {
            build.addJavadoc("\n@throws IllegalStateException if the build-time snapshot is missing from the class"
                            + " path\n")
                    .beginControlFlow("if (this.$N)", buildTimeSnapshot)
                    .beginControlFlow(
                            "if ($T.class.getResource($S + BUILD_TIME_SNAPSHOT_RESOURCE) == null)", entry, "/")
                    .addStatement(
                            "throw new $T($S$W+ BUILD_TIME_SNAPSHOT_RESOURCE$W+ $S)",
                            IllegalStateException.class,
                            "the build-time snapshot ",
                            " is not on the class path; was it removed from the build?")
                    .endControlFlow()
                    .addComment("installed first, before any file, last-known-good copy or server answers")
                    .addStatement(
                            "clientBuilder().embeddedSnapshot(BUILD_TIME_SNAPSHOT_RESOURCE, $T.class.getClassLoader())",
                            entry)
                    .endControlFlow()
                    .addStatement("return new $T(clientBuilder().build())", entry);
        }
        type.addMethod(build.build());
        return type.build();
    }

    private static MethodSpec splitSdl(String sdl) {
        List<CodeBlock> parts = new ArrayList<>();
        int start = 0;
        while (start < sdl.length()) {
            int end = Math.min(sdl.length(), start + CONSTANT_CHARS);
            if (end < sdl.length() && Character.isHighSurrogate(sdl.charAt(end - 1))) {
                end--;
            }
            parts.add(
                    StringLiterals.concatenation(sdl.substring(start, end), SDL_PIECE_COLUMN, SDL_PIECE_CONTINUATION));
            start = end;
        }
        return MethodSpec.methodBuilder("embeddedSchemaSdl")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(String.class)
                .addStatement("return $T.join($S,\n$L)", String.class, "", CodeBlock.join(parts, ",\n"))
                .build();
    }

    /** A usage example reading the leaf of {@link Model#examplePath()}, if there is one. */
    private CodeBlock example(ClassName root, ClassName context) {
        List<Model.FieldModel> path = model.examplePath();
        if (path.isEmpty()) {
            return CodeBlock.of("");
        }
        List<String> calls = new ArrayList<>();
        for (Model.FieldModel field : path) {
            calls.add(field.javaName() + "(" + (field.isObject() ? "" : exampleFallback(field.type())) + ")");
        }
        Model.FieldModel leaf = path.get(path.size() - 1);
        return CodeBlock.builder()
                .add("<pre>{@code\n")
                .add("$L tollgate = $L.create();\n", model.entry.simpleName(), model.entry.simpleName())
                .add("tollgate.loadSnapshot(Path.of(\"snapshot.json\"));\n")
                .add("$L flags = tollgate.root(context); // for a $L\n", root.simpleName(), context.simpleName())
                .add("$L $L = flags.$L;\n", exampleType(leaf.type()), leaf.javaName(), String.join(".", calls))
                .add("}</pre>\n\n")
                .build();
    }

    private String exampleType(TypeRef type) {
        com.palantir.javapoet.TypeName javaType = model.valueType(type);
        return javaType instanceof ClassName className
                ? className.simpleName()
                : javaType.toString().replaceAll("[a-z.]+\\.", "");
    }

    private String exampleFallback(TypeRef type) {
        if (type instanceof TypeRef.ListOf) {
            return "List.of()";
        }
        if (type.scalar() == null) {
            EnumTypeDefinition enumType = model.schema.enumType(type.namedType());
            return model.typeClass(enumType.name()).simpleName() + "."
                    + model.enumModel(enumType.name()).constants().get(0);
        }
        return switch (type.scalar()) {
            case BOOLEAN -> "false";
            case INT -> "5";
            case FLOAT -> "0.0";
            case STRING -> "\"\"";
        };
    }
}
