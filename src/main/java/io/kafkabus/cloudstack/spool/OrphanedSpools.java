package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.kafkabus.cloudstack.config.FsyncPolicy;

/**
 * Spools of other bus names under the same parent directory that no running bus owns: typically
 * the CloudStack 4.19 bus ({@code kafkaEventBusCore}) after an upgrade to 4.20, whose events would
 * otherwise never be sent. Their undelivered records are moved into a running bus's spool.
 */
public final class OrphanedSpools {
    private OrphanedSpools() {
    }

    /**
     * Moves every undelivered record of each unowned sibling of {@code ownDirectory} into
     * {@code target}, each spool's records in their order, and returns one line per spool adopted
     * or that could not be. A sibling whose bus is running is left alone. What is not moved (it
     * does not fit in {@code target}, or a failure stopped the move) stays where it is for the next
     * start; a failure with one sibling does not stop the others, and every sibling opened is
     * closed again, its lock released.
     *
     * @throws IOException when the siblings cannot be listed
     */
    public static List<String> adoptInto(DiskSpool target, Path ownDirectory, String owner) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path sibling : siblings(ownDirectory)) {
            try {
                String line = adopt(target, sibling, owner);
                if (line != null) {
                    lines.add(line);
                }
            } catch (SpoolLockedException e) {
                // Its bus is running and delivers them itself.
            } catch (IOException | RuntimeException e) {
                lines.add("could not adopt the undelivered event(s) of the unowned spool " + sibling + ": " + e);
            }
        }
        return lines;
    }

    /** Moves what {@code sibling} holds; a line saying how much, or null if it held nothing. */
    private static String adopt(DiskSpool target, Path sibling, String owner) throws IOException {
        try (DiskSpool orphan = DiskSpool.open(sibling, Long.MAX_VALUE, 1 << 20, DiskSpool.DEFAULT_MAX_RECORD_BYTES, FsyncPolicy.INTERVAL,
                Duration.ofSeconds(1), Duration.ofSeconds(1), owner, "kafka-event-bus-adopt")) {
            long left = orphan.pendingRecords();
            long moved = 0;
            String stopped = "";
            try {
                for (SpooledRecord r = orphan.poll(Duration.ZERO); r != null; r = orphan.poll(Duration.ZERO)) {
                    target.append(r.record());
                    orphan.acknowledgeBefore(r.sequence() + 1);
                    moved++;
                }
            } catch (SpoolFullException e) {
                stopped = "; the rest waits there for the next start (" + e.getMessage() + ")";
            } catch (IOException | RuntimeException e) {
                stopped = "; the rest waits there for the next start (" + e + ")";
            } catch (InterruptedException e) {
                // poll(ZERO) does not wait; should it ever be interrupted, the rest waits for the next start.
                Thread.currentThread().interrupt();
                stopped = "; the rest waits there for the next start (interrupted)";
            }
            return left == 0 ? null
                    : "adopted " + moved + " of " + left + " undelivered event(s) from the unowned spool " + sibling + stopped;
        }
    }

    private static List<Path> siblings(Path ownDirectory) throws IOException {
        Path parent = ownDirectory.toAbsolutePath().getParent();
        try (Stream<Path> listing = Files.list(parent)) {
            return listing.filter(d -> !d.equals(ownDirectory.toAbsolutePath()) && Files.isRegularFile(d.resolve(SpoolLock.FILE)))
                    .sorted().collect(Collectors.toList());
        }
    }
}
