package dev.tollgate.server;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV: values separated by commas, records by LF or CRLF; a value in double quotes may hold commas,
 * line breaks and doubled quotes ({@code ""}). Empty lines are skipped and a leading byte order mark is dropped. Each
 * record keeps the line it starts on, as a spreadsheet numbers its rows, for messages.
 */
final class CsvReader {
    /** One record: the line it starts on (the first line is 1) and its values. */
    record Record(int line, List<String> values) {}

    private final String text;
    private int at;
    private int line = 1;

    private CsvReader(String text) {
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    /** The records of {@code text}; throws {@link IllegalArgumentException} naming the line of a malformed quote. */
    static List<Record> read(String text) {
        CsvReader reader = new CsvReader(text);
        List<Record> records = new ArrayList<>();
        while (reader.at < reader.text.length()) {
            if (reader.skipEmptyLine()) {
                continue;
            }
            int start = reader.line;
            records.add(new Record(start, reader.record()));
        }
        return records;
    }

    private boolean skipEmptyLine() {
        if (text.startsWith("\r\n", at)) {
            at += 2;
        } else if (text.charAt(at) == '\n') {
            at++;
        } else {
            return false;
        }
        line++;
        return true;
    }

    private List<String> record() {
        List<String> values = new ArrayList<>();
        while (true) {
            values.add(at < text.length() && text.charAt(at) == '"' ? quoted() : plain());
            if (at >= text.length()) {
                return values;
            }
            char c = text.charAt(at++);
            if (c == ',') {
                continue;
            }
            if (c == '\r' && at < text.length() && text.charAt(at) == '\n') {
                at++;
            }
            line++;
            return values;
        }
    }

    private String plain() {
        int start = at;
        while (at < text.length() && ",\r\n".indexOf(text.charAt(at)) < 0) {
            if (text.charAt(at) == '"') {
                throw new IllegalArgumentException(
                        "line " + line + ": a quote inside a value that does not start with one; quote the whole value"
                                + " and double the quote (\"\")");
            }
            at++;
        }
        return text.substring(start, at);
    }

    private String quoted() {
        int startLine = line;
        StringBuilder value = new StringBuilder();
        at++;
        while (at < text.length()) {
            char c = text.charAt(at++);
            if (c == '"' && at < text.length() && text.charAt(at) == '"') {
                value.append('"');
                at++;
            } else if (c == '"') {
                expectSeparator();
                return value.toString();
            } else {
                line += c == '\n' ? 1 : 0;
                value.append(c);
            }
        }
        throw new IllegalArgumentException("line " + startLine + ": a quoted value is not closed");
    }

    private void expectSeparator() {
        if (at < text.length() && ",\r\n".indexOf(text.charAt(at)) < 0) {
            throw new IllegalArgumentException("line " + line
                    + ": after a closing quote comes a comma or the end of the line, not \"" + text.charAt(at) + "\"");
        }
    }
}
