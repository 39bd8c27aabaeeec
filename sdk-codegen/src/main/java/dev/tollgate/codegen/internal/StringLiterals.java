package dev.tollgate.codegen.internal;

import com.palantir.javapoet.CodeBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Long strings as generated code writes them: literals joined by {@code +}, one line of code each, none past the
 * column limit. JavaPoet writes a string with line breaks as one literal per line but never splits a long line; here a
 * line of text too long for one line of code is split before a space that fits, or where it must when none does.
 */
final class StringLiterals {
    /** The width of {@code + } opening a continuation line. */
    private static final int PLUS = 2;

    /** The width of the quotes around a literal and of the {@code ;} or {@code ,} that may follow the last. */
    private static final int QUOTES_AND_END = 3;

    private StringLiterals() {}

    /**
     * The text as a concatenation of literals whose lines of code end by {@link Emitters#COLUMN_LIMIT}; the Java value
     * is the text, unchanged.
     *
     * @param text the string
     * @param firstColumn the column at which the first literal starts, after the code before it
     * @param continuationColumn the column of the {@code +} of the following lines, eight beyond the statement's
     *     indent: the caller's code must be indented that way when JavaPoet writes this block
     */
    static CodeBlock concatenation(String text, int firstColumn, int continuationColumn) {
        List<String> pieces = pieces(
                text,
                Emitters.COLUMN_LIMIT - firstColumn - QUOTES_AND_END,
                Emitters.COLUMN_LIMIT - continuationColumn - PLUS - QUOTES_AND_END);
        CodeBlock.Builder code = CodeBlock.builder().add("$>$>");
        for (int i = 0; i < pieces.size(); i++) {
            code.add(i == 0 ? "$S" : "\n+ $S", pieces.get(i));
        }
        return code.add("$<$<").build();
    }

    /** The text cut after each line break and where a line is wider than the room its literal has. */
    private static List<String> pieces(String text, int firstRoom, int room) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int lineEnd = text.indexOf('\n', start);
            int end = lineEnd < 0 ? text.length() : lineEnd + 1;
            int cut = cut(text, start, end, pieces.isEmpty() ? firstRoom : room);
            pieces.add(text.substring(start, cut));
            start = cut;
        }
        if (pieces.isEmpty()) {
            pieces.add("");
        }
        return pieces;
    }

    /**
     * Where the piece starting at {@code start} ends: at {@code end} if its escaped form fits the room, else before the
     * last space that fits (so that the next piece starts with it), else after as many characters as fit, never
     * between the two halves of a surrogate pair, and always after at least one character.
     */
    private static int cut(String text, int start, int end, int room) {
        int width = 0;
        int lastSpace = -1;
        for (int i = start; i < end; i++) {
            width += escapedWidth(text.charAt(i));
            if (width > room) {
                if (lastSpace > start) {
                    return lastSpace;
                }
                int cut = Math.max(i, start + 1);
                if (Character.isHighSurrogate(text.charAt(cut - 1)) && cut < end) {
                    cut = cut - 1 > start ? cut - 1 : cut + 1;
                }
                return cut;
            }
            if (text.charAt(i) == ' ') {
                lastSpace = i;
            }
        }
        return end;
    }

    /** How many characters JavaPoet writes for the character inside a string literal. */
    private static int escapedWidth(char c) {
        return CodeBlock.of("$S", String.valueOf(c)).toString().length() - 2;
    }
}
