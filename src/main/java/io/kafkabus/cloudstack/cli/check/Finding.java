package io.kafkabus.cloudstack.cli.check;

import java.util.Objects;

/** One result line of {@code check}: how bad, and what was found and what to change. Immutable. */
final class Finding {
    enum Level {
        /** Works as the bus will use it. */
        OK,
        /** The bus works, but not as well as it could, or something may need a look. */
        WARN,
        /** The bus would not work, or not deliver, after the restart. */
        PROBLEM
    }

    final Level level;
    final String text;

    private Finding(Level level, String text) {
        this.level = level;
        this.text = Objects.requireNonNull(text);
    }

    static Finding ok(String text) {
        return new Finding(Level.OK, text);
    }

    static Finding warn(String text) {
        return new Finding(Level.WARN, text);
    }

    static Finding problem(String text) {
        return new Finding(Level.PROBLEM, text);
    }

    /** The printed line: level, then the text. */
    @Override
    public String toString() {
        return level + " " + text;
    }
}
