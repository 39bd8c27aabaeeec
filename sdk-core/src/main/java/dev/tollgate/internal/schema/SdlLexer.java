package dev.tollgate.internal.schema;

import dev.tollgate.SchemaException;
import java.util.List;

/** Splits GraphQL SDL into tokens with their positions. Commas, whitespace, a byte-order mark and comments are skipped. */
final class SdlLexer {

    enum Kind {
        NAME,
        STRING,
        NUMBER,
        PUNCTUATOR,
        END
    }

    record Token(Kind kind, String text, SourceLocation location) {
        boolean is(String punctuatorOrName) {
            return (kind == Kind.PUNCTUATOR || kind == Kind.NAME) && text.equals(punctuatorOrName);
        }

        String describe() {
            return switch (kind) {
                case END -> "end of file";
                case STRING -> "string \"" + text + "\"";
                default -> "'" + text + "'";
            };
        }
    }

    private final String text;
    private final String file;
    private int offset;
    private int line = 1;
    private int lineStart;

    SdlLexer(String text, String file) {
        this.text = text;
        this.file = file;
        if (text.startsWith("\uFEFF")) {
            offset = 1;
            lineStart = 1;
        }
    }

    Token next() {
        skipIgnored();
        SourceLocation location = here();
        if (offset >= text.length()) {
            return new Token(Kind.END, "", location);
        }
        char c = text.charAt(offset);
        if (c == '"') {
            return text.startsWith("\"\"\"", offset) ? blockString(location) : string(location);
        }
        if (c == '.' && text.startsWith("...", offset)) {
            offset += 3;
            return new Token(Kind.PUNCTUATOR, "...", location);
        }
        if ("!$&()/:=@[]{}|".indexOf(c) >= 0) {
            offset++;
            return new Token(Kind.PUNCTUATOR, String.valueOf(c), location);
        }
        if (c == '_' || Character.isLetter(c) && c < 128) {
            return name(location);
        }
        if (c == '-' || c >= '0' && c <= '9') {
            return number(location);
        }
        throw error(location, "unexpected character " + describeChar(c));
    }

    private void skipIgnored() {
        while (offset < text.length()) {
            char c = text.charAt(offset);
            if (c == '\n' || c == '\r') {
                boolean crlf = c == '\r' && offset + 1 < text.length() && text.charAt(offset + 1) == '\n';
                offset += crlf ? 2 : 1;
                line++;
                lineStart = offset;
            } else if (c == '#') {
                while (offset < text.length() && text.charAt(offset) != '\n' && text.charAt(offset) != '\r') {
                    offset++;
                }
            } else if (c == ' ' || c == '\t' || c == ',') {
                offset++;
            } else {
                return;
            }
        }
    }

    private Token name(SourceLocation location) {
        int start = offset;
        while (offset < text.length() && isNameChar(text.charAt(offset))) {
            offset++;
        }
        return new Token(Kind.NAME, text.substring(start, offset), location);
    }

    private static boolean isNameChar(char c) {
        return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    private Token number(SourceLocation location) {
        int start = offset;
        offset++;
        while (offset < text.length() && "0123456789.eE+-".indexOf(text.charAt(offset)) >= 0) {
            offset++;
        }
        return new Token(Kind.NUMBER, text.substring(start, offset), location);
    }

    private Token string(SourceLocation location) {
        StringBuilder value = new StringBuilder();
        offset++;
        while (offset < text.length()) {
            char c = text.charAt(offset);
            if (c == '"') {
                offset++;
                return new Token(Kind.STRING, value.toString(), location);
            }
            if (c == '\n' || c == '\r') {
                break;
            }
            if (c == '\\') {
                value.append(escape());
            } else {
                value.append(c);
                offset++;
            }
        }
        throw error(location, "unterminated string");
    }

    private char escape() {
        SourceLocation location = here();
        if (offset + 1 >= text.length()) {
            throw error(location, "unterminated string");
        }
        char c = text.charAt(offset + 1);
        offset += 2;
        switch (c) {
            case '"', '\\', '/':
                return c;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                if (offset + 4 <= text.length()) {
                    int unicode = 0;
                    for (int i = offset; i < offset + 4 && unicode >= 0; i++) {
                        int digit = Character.digit(text.charAt(i), 16);
                        unicode = digit < 0 || text.charAt(i) > 'f' ? -1 : unicode * 16 + digit;
                    }
                    if (unicode >= 0) {
                        offset += 4;
                        return (char) unicode;
                    }
                }
                throw error(location, "invalid unicode escape in string: \\u takes four hexadecimal digits");
            default:
                throw error(location, "invalid escape \\" + c + " in string");
        }
    }

    private Token blockString(SourceLocation location) {
        offset += 3;
        StringBuilder raw = new StringBuilder();
        while (offset < text.length()) {
            if (text.startsWith("\"\"\"", offset)) {
                offset += 3;
                return new Token(Kind.STRING, dedent(raw.toString()), location);
            }
            if (text.startsWith("\\\"\"\"", offset)) {
                raw.append("\"\"\"");
                offset += 4;
                continue;
            }
            char c = text.charAt(offset);
            raw.append(c);
            if (c == '\n' || c == '\r' && (offset + 1 >= text.length() || text.charAt(offset + 1) != '\n')) {
                line++;
                lineStart = offset + 1;
            }
            offset++;
        }
        throw error(location, "unterminated block string");
    }

    /** The GraphQL block string value: common indentation and blank first and last lines removed. */
    static String dedent(String raw) {
        List<String> lines = raw.lines().toList();
        int common = Integer.MAX_VALUE;
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            int indent = 0;
            while (indent < l.length() && (l.charAt(indent) == ' ' || l.charAt(indent) == '\t')) {
                indent++;
            }
            if (indent < l.length()) {
                common = Math.min(common, indent);
            }
        }
        StringBuilder out = new StringBuilder();
        int first = 0;
        int last = lines.size() - 1;
        while (first <= last && lines.get(first).isBlank()) {
            first++;
        }
        while (last >= first && lines.get(last).isBlank()) {
            last--;
        }
        for (int i = first; i <= last; i++) {
            String l = lines.get(i);
            if (i > 0 && common != Integer.MAX_VALUE) {
                l = l.length() >= common ? l.substring(common) : "";
            }
            if (i > first) {
                out.append('\n');
            }
            out.append(l);
        }
        return out.toString();
    }

    private SourceLocation here() {
        return new SourceLocation(file, line, offset - lineStart + 1);
    }

    private static String describeChar(char c) {
        return c < 32 || c > 126 ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }

    static SchemaException error(SourceLocation location, String message) {
        return new SchemaException(List.of(location.problem(message)));
    }
}
