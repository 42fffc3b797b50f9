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
     * {@code target}, each spool's records in their order, and returns one line per spool adopted.
     * A sibling whose bus is running is left alone; what does not fit in {@code target} stays where
     * it is for the next start.
     */
    public static List<String> adoptInto(DiskSpool target, Path ownDirectory, String owner) throws IOException {
        List<String> adopted = new ArrayList<>();
        for (Path sibling : siblings(ownDirectory)) {
            try (DiskSpool orphan = DiskSpool.open(sibling, Long.MAX_VALUE, 1 << 20, FsyncPolicy.INTERVAL,
                    Duration.ofSeconds(1), Duration.ofSeconds(1), owner, "kafka-event-bus-adopt")) {
                long moved = 0;
                long left = orphan.pendingRecords();
                try {
                    for (SpooledRecord r = orphan.poll(Duration.ZERO); r != null; r = orphan.poll(Duration.ZERO)) {
                        target.append(r.record());
                        orphan.acknowledgeBefore(r.sequence() + 1);
                        moved++;
                    }
                } catch (SpoolFullException e) {
                    // The rest waits in the orphan for the next start.
                }
                if (left > 0) {
                    adopted.add("adopted " + moved + " of " + left + " undelivered event(s) from the unowned spool " + sibling);
                }
            } catch (SpoolLockedException e) {
                // Its bus is running and delivers them itself.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return adopted;
            }
        }
        return adopted;
    }

    private static List<Path> siblings(Path ownDirectory) throws IOException {
        Path parent = ownDirectory.toAbsolutePath().getParent();
        try (Stream<Path> listing = Files.list(parent)) {
            return listing.filter(d -> !d.equals(ownDirectory.toAbsolutePath()) && Files.isRegularFile(d.resolve(DiskSpool.LOCK_FILE)))
                    .sorted().collect(Collectors.toList());
        }
    }
}
