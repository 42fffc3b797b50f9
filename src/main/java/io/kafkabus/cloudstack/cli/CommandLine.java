package io.kafkabus.cloudstack.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's arguments, parsed against the options it declares. Written here rather than taken
 * from a library: none is in the jar (it ships only the Kafka client, Jackson and slf4j), and the
 * commands need nothing beyond {@code --flag}, {@code --name value} and positional arguments.
 */
final class CommandLine {
    /** Each option given, with its values in the order given (an option may be repeated). */
    private final Map<String, List<String>> values;
    private final List<String> positional;

    private CommandLine(Map<String, List<String>> values, List<String> positional) {
        this.values = Collections.unmodifiableMap(values);
        this.positional = Collections.unmodifiableList(positional);
    }

    /** Parses {@code args} (the command's name already removed); {@code --} ends the options. */
    static CommandLine parse(List<String> args, List<Option> options, String command) throws UsageException {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("--")) {
                positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            int equals = arg.indexOf('=');
            String name = arg.substring(2, equals < 0 ? arg.length() : equals);
            Option option = find(options, name, command);
            String value;
            if (!option.takesValue()) {
                if (equals >= 0) {
                    throw new UsageException(command + ": --" + name + " takes no value");
                }
                value = "true";
            } else if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException(command + ": --" + name + " needs a value (" + option.synopsis() + ")");
            }
            values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return new CommandLine(values, positional);
    }

    private static Option find(List<Option> options, String name, String command) throws UsageException {
        for (Option option : options) {
            if (option.name.equals(name)) {
                return option;
            }
        }
        throw new UsageException(command + ": unknown option --" + name + " (see " + command + " --help)");
    }

    boolean has(String option) {
        return values.containsKey(option);
    }

    /** The option's value (the last, if it was given more than once), or {@code fallback} when it was not given. */
    String value(String option, String fallback) {
        List<String> given = values.get(option);
        return given == null ? fallback : given.get(given.size() - 1);
    }

    /** Every value given to a repeatable option, in order; empty when it was not given. */
    List<String> values(String option) {
        return values.getOrDefault(option, List.of());
    }

    List<String> positional() {
        return positional;
    }

    /** The one optional positional argument, or {@code fallback}; more than one is a usage error. */
    String onlyPositional(String fallback, String command) throws UsageException {
        if (positional.size() > 1) {
            throw new UsageException(command + ": one argument expected, got " + positional);
        }
        return positional.isEmpty() ? fallback : positional.get(0);
    }
}
