package dev.tollgate.codegen.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed command line: options ({@code -s value}, {@code --schema value}, {@code --schema=value}, flags) and
 * positional arguments; {@code --} ends the options.
 */
final class Arguments {

    /** An option a command accepts. */
    interface Option {
        /** The short form such as {@code -s}, or null. */
        String shortName();

        String longName();

        boolean takesValue();
    }

    private final Map<Option, List<String>> values;
    private final List<String> positional;

    private Arguments(Map<Option, List<String>> values, List<String> positional) {
        this.values = values;
        this.positional = positional;
    }

    static Arguments parse(List<String> args, Option[] options) throws UsageException {
        Map<Option, List<String>> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            Option option = find(options, name);
            if (option == null) {
                throw new UsageException("unknown option " + name);
            }
            if (option.takesValue()) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException(name + " needs a value");
                    }
                    value = args.get(++i);
                }
            } else if (value != null) {
                throw new UsageException(name + " takes no value");
            }
            values.computeIfAbsent(option, o -> new ArrayList<>()).add(value);
        }
        return new Arguments(values, positional);
    }

    private static Option find(Option[] options, String name) {
        for (Option option : options) {
            if (name.equals(option.longName()) || name.equals(option.shortName())) {
                return option;
            }
        }
        return null;
    }

    boolean has(Option option) {
        return values.containsKey(option);
    }

    /** The last value given for the option, or null. */
    String value(Option option) {
        List<String> given = values.get(option);
        return given == null ? null : given.get(given.size() - 1);
    }

    String value(Option option, String otherwise) {
        String value = value(option);
        return value == null ? otherwise : value;
    }

    /** Every value given for a repeatable option, in order. */
    List<String> values(Option option) {
        return values.getOrDefault(option, List.of());
    }

    List<String> positional() {
        return positional;
    }
}
