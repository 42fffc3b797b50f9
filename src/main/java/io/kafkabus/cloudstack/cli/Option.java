package io.kafkabus.cloudstack.cli;

/** One {@code --name} option of a command: a flag, or one taking a value ({@code --name value} or {@code --name=value}). */
final class Option {
    final String name;
    /** The value's placeholder in the help ({@code FILE}, {@code TIME}), or null for a flag. */
    final String valueName;
    final String help;

    private Option(String name, String valueName, String help) {
        this.name = name;
        this.valueName = valueName;
        this.help = help;
    }

    static Option flag(String name, String help) {
        return new Option(name, null, help);
    }

    static Option withValue(String name, String valueName, String help) {
        return new Option(name, valueName, help);
    }

    boolean takesValue() {
        return valueName != null;
    }

    /** How the help lists it: {@code --from TIME}. */
    String synopsis() {
        return "--" + name + (takesValue() ? " " + valueName : "");
    }
}
