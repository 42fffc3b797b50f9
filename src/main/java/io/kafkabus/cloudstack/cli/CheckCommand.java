package io.kafkabus.cloudstack.cli;

import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;

import io.kafkabus.cloudstack.cli.check.Check;
import io.kafkabus.cloudstack.config.PropertiesFile;

/** {@code check [FILE]}: will the bus work after the restart? Run as the management server's user. */
final class CheckCommand implements Command {
    private static final String BUS_OPTION = "bus";
    private static final String TEST_EVENT_OPTION = "send-test-event";

    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "check a configuration before the restart: file, spool directory, brokers, login, topics, a test event";
    }

    @Override
    public String arguments() {
        return "[FILE]";
    }

    @Override
    public String description() {
        return "Answers \"will the Kafka event bus work after the restart?\". Run it as the user the management\n"
                + "server runs as, so that files and directories are checked with that user's rights:\n"
                + "\n"
                + "  sudo -u cloud java -jar /usr/share/cloudstack-management/lib/<plugin jar> check\n"
                + "\n"
                + "FILE defaults to " + PropertiesFile.STANDARD_PATH + ". The checks, in order:\n"
                + "  1. The file, read and validated by the bus's own code: it passes exactly when the bus would\n"
                + "     start with it. Unknown keys are warnings naming the nearest known key.\n"
                + "  2. The spool directory, spool.dir/<bus name>: it exists or can be created, this user may\n"
                + "     write in it, its disk has room for spool.max.bytes, and whether a running bus holds it\n"
                + "     (expected when that is the server about to restart). Nothing is left behind.\n"
                + "  3. Every address of bootstrap.servers resolves and accepts connections; then the TLS and\n"
                + "     SASL handshakes, as the bus logs in (a refused login names the mechanism and user, never\n"
                + "     the password).\n"
                + "  4. Every topic the configuration routes to (topic, type.topics, category.topics, state.topic,\n"
                + "     dead.letter.topic) exists or will be created (topic.create=true, or the brokers'\n"
                + "     auto.create.topics.enable), and the bus's principal may write to it. Topics made by\n"
                + "     topic.template depend on the events: it says whether they will be created.\n"
                + "  5. With --" + TEST_EVENT_OPTION + ": one test event, in the shape the bus sends, to the topic of\n"
                + "     'topic' with the bus's producer settings, read back by a consumer in no group (offset and\n"
                + "     round trip). Consumers of that topic receive it too: they recognise it by category\n"
                + "     KafkaEventBusCheck, type CHECK.TEST and the header kafka-event-bus-check=true.\n"
                + "Without a valid file the other checks are skipped; without a reachable broker, 4 and 5.\n"
                + "\n"
                + "Output: one line per finding on standard output, starting with OK, WARN (works, but look) or\n"
                + "PROBLEM (would not work; the line says what to change), then a SUMMARY line. Progress on\n"
                + "standard error. About 15 s at most when the brokers do not answer.\n"
                + "Exit codes: " + ExitCode.OK + " nothing found that would stop the bus (warnings allowed), " + ExitCode.PROBLEMS
                + " a PROBLEM\nwas found, " + ExitCode.USAGE + " wrong command line.";
    }

    @Override
    public List<Option> options() {
        return List.of(
                Option.withValue(BUS_OPTION, "NAME", "the bus whose spool to check (default: each of " + Check.BUS + " and "
                        + Check.CORE_BUS + " that has a spool directory, else " + Check.BUS + ")"),
                Option.flag(TEST_EVENT_OPTION, "also send one test event and read it back"));
    }

    @Override
    public int run(CommandLine line, Console console) throws UsageException {
        String file = line.onlyPositional(PropertiesFile.STANDARD_PATH.toString(), name());
        Optional<String> bus = Optional.ofNullable(line.value(BUS_OPTION, null));
        if (bus.isPresent() && bus.get().isBlank()) {
            throw new UsageException(name() + ": --" + BUS_OPTION + " needs a bus name, e.g. " + Check.BUS);
        }
        if ("root".equals(System.getProperty("user.name"))) {
            console.progress("running as root: files and directories are checked with root's rights, not the management "
                    + "server's; run check as its user (sudo -u cloud ...) to check those");
        }
        try {
            boolean fine = Check.run(Paths.get(file), bus, line.has(TEST_EVENT_OPTION), console::println, console::progress);
            return fine ? ExitCode.OK : ExitCode.PROBLEMS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            console.error("check: interrupted");
            return ExitCode.PROBLEMS;
        }
    }
}
