package io.kafkabus.cloudstack.cli.check;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.spool.SpoolOwner;

/**
 * The spool directory as the bus will use it ({@code spool.dir/<bus name>}, created at start if
 * missing): can this user create and write it, does its disk have room for {@code spool.max.bytes},
 * and does a running bus hold it. Leaves nothing behind: writing is tried with a temporary file,
 * deleted at once, and a missing directory is not created.
 */
final class SpoolCheck {
    private static final long MIB = 1L << 20;

    private final EventBusConfig config;
    private final Findings findings;
    private final String user = System.getProperty("user.name");

    SpoolCheck(EventBusConfig config, Findings findings) {
        this.config = config;
        this.findings = findings;
    }

    void run(List<String> busNames) {
        if (!config.spoolEnabled()) {
            findings.add(Finding.warn(EventBusConfig.SPOOL_ENABLED + "=false: events wait in memory only (up to "
                    + EventBusConfig.MEMORY_BUFFER_MAX_BYTES + "=" + config.memoryBufferMaxBytes() + " bytes) and are lost "
                    + "when the management server stops before Kafka has them; set " + EventBusConfig.SPOOL_ENABLED
                    + "=true to keep them on disk"));
            return;
        }
        for (String busName : busNames) {
            Path directory = config.spoolDir().resolve(busName).toAbsolutePath();
            if (Files.isDirectory(directory)) {
                existing(directory);
            } else if (Files.exists(directory)) {
                findings.add(Finding.problem("spool directory " + directory + " is not a directory: the bus would keep "
                        + "events in memory only; remove it, or change " + EventBusConfig.SPOOL_DIR));
            } else {
                missing(directory);
            }
        }
    }

    private void existing(Path directory) {
        String failure = cannotWrite(directory);
        if (failure != null) {
            findings.add(Finding.problem("spool directory " + directory + " is not writable by user " + user + " (" + failure
                    + "): the bus would keep events in memory only; " + fix(directory)));
            return;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(Files::isRegularFile).collect(Collectors.toList());
        } catch (IOException e) {
            findings.add(Finding.problem("spool directory " + directory + " cannot be listed by user " + user + " (" + e
                    + "): " + fix(directory)));
            return;
        }
        List<String> unwritable = new ArrayList<>();
        long held = 0;
        for (Path file : files) {
            held += file.toFile().length();
            if (!Files.isWritable(file)) {
                unwritable.add(file.getFileName().toString());
            }
        }
        if (!unwritable.isEmpty()) {
            findings.add(Finding.problem("spool directory " + directory + " holds files user " + user + " may not write "
                    + unwritable + " (left by another user?): the bus could not open its spool and would keep events in "
                    + "memory only; " + fix(directory)));
            return;
        }
        owner(directory);
        freeSpace(directory, directory, held, "spool directory " + directory + " is writable by user " + user);
    }

    private void missing(Path directory) {
        Path ancestor = directory.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null || !Files.isDirectory(ancestor)) {
            findings.add(Finding.problem("spool directory " + directory + " cannot be created: " + ancestor + " is not a "
                    + "directory; the bus would keep events in memory only; change " + EventBusConfig.SPOOL_DIR));
            return;
        }
        String failure = cannotWrite(ancestor);
        if (failure != null) {
            findings.add(Finding.problem("spool directory " + directory + " does not exist and user " + user + " cannot "
                    + "create it (" + ancestor + ": " + failure + "): the bus would keep events in memory only; create it: "
                    + "install -d -o " + user + " -g " + user + " -m 0750 " + directory));
            return;
        }
        freeSpace(directory, ancestor, 0, "spool directory " + directory + " does not exist yet; the bus creates it at "
                + "start: user " + user + " may write in " + ancestor);
    }

    private void owner(Path directory) {
        try {
            Optional<String> owner = SpoolOwner.of(directory);
            owner.ifPresent(description -> findings.add(Finding.ok("spool directory " + directory + " is in use by a running "
                    + "bus: " + description + "; fine if that is this management server, about to be restarted (its bus "
                    + "lets go of it when it stops); if another process holds it, the bus after the restart is disabled")));
        } catch (IOException e) {
            findings.add(Finding.problem("the lock file of spool directory " + directory + " cannot be read by user " + user
                    + " (" + e + "): " + fix(directory)));
        }
    }

    /** Room on the disk for what the spool may still grow by; {@code okText} when there is. */
    private void freeSpace(Path directory, Path existing, long held, String okText) {
        long usable;
        try {
            usable = Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            findings.add(Finding.ok(okText + "; its free space cannot be read (" + e + ")"));
            return;
        }
        String room = mib(usable) + " free for " + EventBusConfig.SPOOL_MAX_BYTES + "=" + mib(config.spoolMaxBytes())
                + (held >= MIB ? ", " + mib(held) + " held now" : "");
        if (usable + held < config.spoolMaxBytes()) {
            findings.add(Finding.warn("the disk of spool directory " + directory + " has less room than "
                    + EventBusConfig.SPOOL_MAX_BYTES + " (" + room + "): a long Kafka outage fills the disk before the spool "
                    + "is full, and new events are then dropped; free space, or lower " + EventBusConfig.SPOOL_MAX_BYTES));
        }
        findings.add(Finding.ok(okText + ", " + room));
    }

    private String fix(Path directory) {
        return "chown -R " + user + ": " + directory + " (or run check as the management server's user: sudo -u cloud ...)";
    }

    /** Null when this user can create (and delete) a file in {@code directory}, else why not. */
    private static String cannotWrite(Path directory) {
        Path probe = null;
        try {
            probe = Files.createTempFile(directory, ".kafka-event-bus-check-", ".tmp");
            return null;
        } catch (AccessDeniedException e) {
            return "permission denied";
        } catch (FileSystemException e) {
            return e.getReason() != null ? e.getReason() : e.toString();
        } catch (IOException e) {
            return e.toString();
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException e) {
                    // Written but not deletable: the next line of output names the directory; nothing else to do.
                }
            }
        }
    }

    private static String mib(long bytes) {
        return (bytes / MIB) + " MiB";
    }
}
