package io.kafkabus.cloudstack.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.kafkabus.cloudstack.spool.SpoolFormat;
import io.kafkabus.cloudstack.spool.SpoolInspection;
import io.kafkabus.cloudstack.spool.SpooledRecord;

/** {@code spool [DIR]}: what a spool directory holds, read without disturbing the bus that may own it. */
final class SpoolCommand implements Command {
    private static final Option DUMP = Option.flag("dump",
            "print the waiting events as JSON lines (stdout), damaged records on stderr");

    @Override
    public String name() {
        return "spool";
    }

    @Override
    public String summary() {
        return "show what a spool directory holds (waiting events, bytes, oldest, damage, owner); --dump as JSON lines";
    }

    @Override
    public String arguments() {
        return "[DIR]";
    }

    @Override
    public String description() {
        return "DIR is a bus's spool directory (spool.dir/<bus name>), or spool.dir itself for each bus directory in\n"
                + "it; default: spool.dir of the properties file. Reads only: it takes no lock (but tries one for an\n"
                + "instant to see whether a bus holds the directory), recovers, truncates and deletes nothing, so it\n"
                + "may run beside the management server. Per bus directory it prints who holds it, the format\n"
                + "version, the events waiting (those after the checkpoint: not yet acknowledged by Kafka), their\n"
                + "bytes, the oldest one's time and age, the segment files, and the damaged records (bad checksum,\n"
                + "torn write) the bus will skip.\n"
                + "--dump prints instead one JSON object a line per waiting event, in spool order: sequence, topic,\n"
                + "key, timestamp, headers, value (the JSON it holds, or text); damaged records go to stderr.\n"
                + "Exit codes: 0 done; 1 no such directory, unreadable, not a spool, or in a newer spool format; 2 wrong\n"
                + "command line.";
    }

    @Override
    public List<Option> options() {
        return List.of(BusConfigFile.OPTION, DUMP);
    }

    @Override
    public int run(CommandLine line, Console console) throws UsageException {
        String given = line.onlyPositional(null, name());
        try {
            Path dir = given != null ? Paths.get(given) : BusConfigFile.load(line).spoolDir();
            boolean allRead = true;
            for (Path spool : spools(dir)) {
                allRead &= line.has(DUMP.name) ? dump(spool, console) : show(spool, console);
            }
            return allRead ? ExitCode.OK : ExitCode.PROBLEMS;
        } catch (CommandFailedException e) {
            console.error(e.getMessage());
            return ExitCode.PROBLEMS;
        }
    }

    /** {@code dir} itself when it is a bus's spool, else the bus spools in it. */
    private static List<Path> spools(Path dir) throws CommandFailedException {
        if (!Files.isDirectory(dir)) {
            throw new CommandFailedException(Files.exists(dir) ? dir + " is not a directory"
                    : "no spool directory at " + dir.toAbsolutePath());
        }
        try {
            if (SpoolInspection.isSpool(dir)) {
                return List.of(dir);
            }
            List<Path> spools = new ArrayList<>();
            try (Stream<Path> listing = Files.list(dir)) {
                for (Path child : listing.filter(Files::isDirectory).sorted().collect(Collectors.toList())) {
                    if (SpoolInspection.isSpool(child)) {
                        spools.add(child);
                    }
                }
            }
            if (spools.isEmpty()) {
                throw new CommandFailedException(dir + " is not a spool directory: neither it nor a directory in it holds"
                        + " spool.lock, checkpoint or *.seg files");
            }
            return spools;
        } catch (IOException e) {
            throw new CommandFailedException("cannot read " + dir + ": " + reason(e));
        }
    }

    /** Prints the summary of one bus spool; whether it could be read whole. */
    private static boolean show(Path spool, Console console) {
        List<String> damage = new ArrayList<>();
        SpoolInspection found;
        try {
            found = SpoolInspection.inspect(spool, new SpoolInspection.Listener() {
                @Override
                public void waiting(SpooledRecord record) {
                }

                @Override
                public void damaged(Path file, long from, long to, long regions, boolean atEnd) {
                    damage.add(damageText(file, from, to, regions, atEnd));
                }
            });
        } catch (IOException e) {
            console.error("cannot read the spool " + spool + ": " + reason(e));
            return false;
        }
        console.println("spool " + spool);
        console.println("  owner:          " + ownerText(found));
        if (found.formatProblem() != null) {
            console.println("  format:         not readable by this plugin: " + found.formatProblem());
            return false;
        }
        console.println("  format:         " + SpoolFormat.VERSION);
        console.println("  waiting:        " + found.waitingRecords() + " event(s), " + found.waitingBytes()
                + " bytes (checkpoint: delivered below " + found.acknowledgedBefore() + ")");
        if (found.oldestWaitingMs() >= 0) {
            Instant oldest = Instant.ofEpochMilli(found.oldestWaitingMs());
            console.println("  oldest waiting: " + oldest + " (" + age(Duration.between(oldest, Instant.now())) + " ago)");
        }
        console.println("  segment files:  " + found.segmentFiles() + ", " + found.segmentBytes() + " bytes");
        console.println("  damaged:        " + (found.damagedRegions() == 0 ? "none"
                : found.damagedRegions() + " record region(s), skipped by the bus when it reads them"));
        damage.forEach(d -> console.println("    " + d));
        return true;
    }

    /** Prints the waiting events of one bus spool as JSON lines; whether it could be read whole. */
    private static boolean dump(Path spool, Console console) {
        try {
            SpoolInspection found = SpoolInspection.inspect(spool, new SpoolInspection.Listener() {
                @Override
                public void waiting(SpooledRecord record) {
                    console.println(SpooledRecordJson.line(record));
                }

                @Override
                public void damaged(Path file, long from, long to, long regions, boolean atEnd) {
                    console.error("damaged: " + damageText(file, from, to, regions, atEnd));
                }
            });
            if (found.formatProblem() != null) {
                console.error("cannot dump the spool " + spool + ": " + found.formatProblem());
                return false;
            }
            return true;
        } catch (IOException e) {
            console.error("cannot read the spool " + spool + ": " + reason(e));
            return false;
        }
    }

    private static String ownerText(SpoolInspection found) {
        String owner = found.owner().isEmpty() ? "another process" : found.owner();
        if (found.inUse()) {
            return "in use by " + owner;
        }
        return found.owner().isEmpty() ? "not in use" : "not in use (last owner: " + owner + ")";
    }

    private static String damageText(Path file, long from, long to, long regions, boolean atEnd) {
        return file.getFileName() + " bytes " + from + "-" + to + ": " + regions + " region(s), "
                + (atEnd ? "at the end of the file (a write cut short, or damage)" : "bad checksum or unreadable frame");
    }

    /** {@code 45s}, {@code 3m 12s}, {@code 2h 5m}, {@code 3d 4h}. */
    static String age(Duration age) {
        long seconds = Math.max(0, age.getSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        if (seconds < 86400) {
            return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
        }
        return seconds / 86400 + "d " + seconds % 86400 / 3600 + "h";
    }

    private static String reason(IOException e) {
        return e instanceof AccessDeniedException
                ? "permission denied (running as " + System.getProperty("user.name") + ")" : e.toString();
    }
}
