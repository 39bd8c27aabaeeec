package dev.tollgate.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.Args;
import dev.tollgate.Root;
import java.util.List;
import java.util.Locale;

/** The {@link Root} accessor a case reads its field with, named in case files by its lowercase name. */
enum Accessor {
    BOOLEAN {
        @Override
        Object fallback(JsonNode node) {
            require(node.isBoolean(), node);
            return node.booleanValue();
        }

        @Override
        Object read(Root root, String path, Args args, Object fallback) {
            return root.booleanValue(path, args, (Boolean) fallback);
        }
    },
    INT {
        @Override
        Object fallback(JsonNode node) {
            require(node.isInt(), node);
            return node.intValue();
        }

        @Override
        Object read(Root root, String path, Args args, Object fallback) {
            return root.intValue(path, args, (Integer) fallback);
        }
    },
    FLOAT {
        @Override
        Object fallback(JsonNode node) {
            require(node.isNumber(), node);
            return node.doubleValue();
        }

        @Override
        Object read(Root root, String path, Args args, Object fallback) {
            return root.floatValue(path, args, (Double) fallback);
        }
    },
    STRING {
        @Override
        Object fallback(JsonNode node) {
            require(node.isTextual(), node);
            return node.textValue();
        }

        @Override
        Object read(Root root, String path, Args args, Object fallback) {
            return root.stringValue(path, args, (String) fallback);
        }
    },
    ENUM {
        @Override
        Object fallback(JsonNode node) {
            return STRING.fallback(node);
        }

        @Override
        Object read(Root root, String path, Args args, Object fallback) {
            return root.enumValue(path, args, (String) fallback);
        }
    },
    LIST {
        @Override
        Object fallback(JsonNode node) {
            require(node.isArray(), node);
            return CaseJson.toJava(node);
        }

        @Override
        Object read(Root root, String path, Args args, Object fallback) {
            return root.listValue(path, args, (List<?>) fallback);
        }
    },
    VALUE {
        @Override
        Object fallback(JsonNode node) {
            return CaseJson.toJava(node);
        }

        @Override
        Object read(Root root, String path, Args args, Object fallback) {
            return root.value(path, args, fallback);
        }
    };

    /** The Java fallback the accessor takes, from its JSON form. */
    abstract Object fallback(JsonNode node);

    abstract Object read(Root root, String path, Args args, Object fallback);

    static Accessor named(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    final void require(boolean fits, JsonNode node) {
        if (!fits) {
            throw new IllegalArgumentException(
                    "fallback " + node + " does not fit the " + name().toLowerCase(Locale.ROOT) + " accessor");
        }
    }
}
