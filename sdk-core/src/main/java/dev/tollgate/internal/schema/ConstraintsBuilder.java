package dev.tollgate.internal.schema;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.tollgate.internal.schema.SdlLexer.Token;
import java.math.BigDecimal;
import java.util.Map;

/** Collects a field's {@code @range}, {@code @length} and {@code @pattern} directives as the parser reads them. */
final class ConstraintsBuilder {
    /** Longer patterns are refused, as snapshots' {@code matches} operands are by default. */
    static final int MAX_PATTERN_LENGTH = 1_000;

    private BigDecimal min;
    private BigDecimal max;
    private Integer minLength;
    private Integer maxLength;
    private Pattern pattern;
    private SourceLocation location;
    private boolean range;
    private boolean length;

    /** A {@code @range} at {@code at}, whose {@code min} and {@code max} the parser read into {@code bounds}. */
    void range(Token at, Token directive, Map<String, Token> bounds) {
        if (range) {
            throw SdlLexer.error(directive.location(), "@range is given twice");
        }
        range = true;
        min = number(bounds.get("min"));
        max = number(bounds.get("max"));
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw SdlLexer.error(
                    bounds.get("max").location(),
                    "@range max " + max.toPlainString() + " is below min " + min.toPlainString());
        }
        at(at);
    }

    /** A {@code @length} at {@code at}, whose {@code min} and {@code max} the parser read into {@code bounds}. */
    void length(Token at, Token directive, Map<String, Token> bounds) {
        if (length) {
            throw SdlLexer.error(directive.location(), "@length is given twice");
        }
        length = true;
        minLength = count(bounds.get("min"));
        maxLength = count(bounds.get("max"));
        if (minLength != null && maxLength != null && minLength > maxLength) {
            throw SdlLexer.error(
                    bounds.get("max").location(), "@length max " + maxLength + " is below min " + minLength);
        }
        at(at);
    }

    void pattern(Token at, Token directive, Token regex) {
        if (pattern != null) {
            throw SdlLexer.error(directive.location(), "@pattern is given twice");
        }
        if (regex.text().length() > MAX_PATTERN_LENGTH) {
            throw SdlLexer.error(
                    regex.location(),
                    "@pattern regex is " + regex.text().length() + " characters long; at most " + MAX_PATTERN_LENGTH);
        }
        try {
            pattern = Pattern.compile(regex.text());
        } catch (PatternSyntaxException e) {
            throw SdlLexer.error(regex.location(), "@pattern regex is not a valid RE2 expression: " + e.getMessage());
        }
        at(at);
    }

    ValueConstraints build() {
        return location == null
                ? ValueConstraints.NONE
                : new ValueConstraints(min, max, minLength, maxLength, pattern, location);
    }

    private void at(Token at) {
        if (location == null) {
            location = at.location();
        }
    }

    private static BigDecimal number(Token token) {
        if (token == null) {
            return null;
        }
        try {
            return new BigDecimal(token.text());
        } catch (NumberFormatException e) {
            throw SdlLexer.error(token.location(), "expected a number but found " + token.text());
        }
    }

    private static Integer count(Token token) {
        BigDecimal value = number(token);
        if (value == null) {
            return null;
        }
        try {
            int count = value.intValueExact();
            if (count < 0) {
                throw SdlLexer.error(token.location(), "@length bounds are counts of characters, at least 0");
            }
            return count;
        } catch (ArithmeticException e) {
            throw SdlLexer.error(token.location(), "@length bounds are whole numbers but found " + token.text());
        }
    }
}
