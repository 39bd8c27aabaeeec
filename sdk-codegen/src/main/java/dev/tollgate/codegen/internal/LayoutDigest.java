package dev.tollgate.codegen.internal;

import dev.tollgate.schema.InputAttribute;
import dev.tollgate.schema.InputLayout;
import dev.tollgate.schema.Schema;
import dev.tollgate.schema.SchemaField;
import dev.tollgate.schema.TypeDefinition;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A digest of the field indices and attribute slots the runtime assigns to a schema. Generated code hard-codes both
 * and checks, once when it is loaded, that the runtime on the class path assigns the same ones. The generated support
 * class computes the digest with a copy of this code; the two must stay identical.
 */
final class LayoutDigest {

    private LayoutDigest() {}

    static String of(Schema schema) {
        StringBuilder text = new StringBuilder();
        for (SchemaField field : schema.fields()) {
            text.append(field.index())
                    .append(' ')
                    .append(field.path())
                    .append(' ')
                    .append(field.type())
                    .append('\n');
        }
        for (TypeDefinition type : schema.types().values()) {
            Optional<InputLayout> layout = schema.inputLayout(type.name());
            if (layout.isPresent()) {
                text.append("input ").append(type.name()).append('\n');
                for (InputAttribute attribute : layout.get().attributes()) {
                    text.append(attribute.slot())
                            .append(' ')
                            .append(attribute.path())
                            .append(' ')
                            .append(attribute.type())
                            .append('\n');
                }
            }
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
