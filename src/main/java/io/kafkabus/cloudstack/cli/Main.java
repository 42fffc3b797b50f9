package io.kafkabus.cloudstack.cli;

import java.io.PrintStream;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.kafkabus.cloudstack.config.ClassNames;

/**
 * The plugin jar's command line, {@code java -jar <plugin jar> <command>}: the operator's tools for
 * before and after a restart. Needs no CloudStack class: it uses the same configuration, spool and
 * Kafka code as the bus, never the bus itself.
 */
public final class Main {
    private static final List<Command> COMMANDS = List.of(new CheckCommand(), new SpoolCommand(), new TailCommand(), new VersionCommand());
    /**
     * Named as the client's lines are logged: the plugin's logging maps the relocated package back to
     * org.apache.kafka. Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level.
     */
    private static final Logger KAFKA_CLIENT_LOG = Logger.getLogger(ClassNames.standardClientPackage());

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /** Runs one command line; returns its {@link ExitCode}. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        Console console = new Console(out, err);
        quietKafkaClient();
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("help")) {
            console.println(overview());
            return args.isEmpty() ? ExitCode.USAGE : ExitCode.OK;
        }
        String name = args.get(0).equals("--version") ? "version" : args.get(0);
        Command command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        if (command == null) {
            console.error("unknown command '" + name + "'");
            console.error(overview());
            return ExitCode.USAGE;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help")) {
            console.println(help(command));
            return ExitCode.OK;
        }
        try {
            return command.run(CommandLine.parse(rest, command.options(), command.name()), console);
        } catch (UsageException e) {
            console.error(e.getMessage());
            return ExitCode.USAGE;
        }
    }

    private static String overview() {
        StringBuilder text = new StringBuilder("Usage: java -jar " + jarName() + " COMMAND [ARGUMENTS] [--help]\n\nCommands:\n");
        for (Command command : COMMANDS) {
            text.append(String.format("  %-9s %s%n", command.name(), command.summary()));
        }
        return text.append("\n--version is short for the version command.\n").append(exitCodes()).toString();
    }

    static String help(Command command) {
        StringBuilder text = new StringBuilder("Usage: java -jar " + jarName() + " " + command.name());
        if (!command.arguments().isEmpty()) {
            text.append(' ').append(command.arguments());
        }
        text.append(command.options().isEmpty() ? "\n\n" : " [OPTIONS]\n\n").append(command.description()).append('\n');
        List<Option> options = new ArrayList<>(command.options());
        options.add(Option.flag("help", "print this help"));
        text.append("\nOptions:\n");
        for (Option option : options) {
            text.append(String.format("  %-22s %s%n", option.synopsis(), option.help));
        }
        return text.toString();
    }

    private static String exitCodes() {
        return "Exit codes: " + ExitCode.OK + " done (check: nothing that stops the bus), " + ExitCode.PROBLEMS
                + " problems found or the command could not do its job, " + ExitCode.USAGE + " wrong command line.";
    }

    /** The jar's file name as the operator typed it, for usage lines. */
    private static String jarName() {
        CodeSource source = Main.class.getProtectionDomain().getCodeSource();
        String path = source == null ? null : source.getLocation().getPath();
        return path != null && path.endsWith(".jar") ? Paths.get(path).getFileName().toString()
                : "cloudstack-kafka-event-bus.jar";
    }

    /**
     * The Kafka client's own log lines are off: the commands say in their own words what the client
     * met (an unreachable broker logs several lines a second). The plugin's own WARN and ERROR lines
     * still reach standard error through java.util.logging, the only logging a bare JVM has.
     */
    private static void quietKafkaClient() {
        KAFKA_CLIENT_LOG.setLevel(Level.OFF);
        Logger.getLogger("").setLevel(Level.WARNING);
    }
}
