package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a bus's spool directory holds, read without changing a byte of it: no recovery, no lock
 * taken (but for the instant of {@link SpoolLock#heldByAnotherProcess}), no checkpoint written,
 * nothing truncated or deleted; so it may run beside the bus that owns the directory. While that
 * bus runs it is a snapshot: the bus may deliver, append and delete meanwhile. Immutable.
 */
public final class SpoolInspection {
    /** What the inspection meets, in spool order. */
    public interface Listener {
        /** A record after the checkpoint: not yet delivered. */
        void waiting(SpooledRecord record);

        /**
         * Bytes {@code [from, to)} of {@code file} held no intact record: {@code regions} damaged
         * stretches; {@code atEnd} when they run to the file's end, where a write cut short leaves its part.
         */
        void damaged(Path file, long from, long to, long regions, boolean atEnd);
    }

    private final Path directory;
    private final boolean inUse;
    private final String owner;
    private final String formatProblem;
    private long acknowledgedBefore;
    private long waitingRecords;
    private long waitingBytes;
    private long oldestWaitingMs = -1;
    private int segmentFiles;
    private long segmentBytes;
    private long damagedRegions;

    private SpoolInspection(Path directory, Listener listener) throws IOException {
        this.directory = directory;
        this.inUse = SpoolLock.heldByAnotherProcess(directory);
        this.owner = SpoolLock.ownerText(directory);
        String problem = null;
        try {
            scan(listener);
        } catch (SpoolFormatException e) {
            problem = e.getMessage();
        }
        this.formatProblem = problem;
    }

    /** Whether {@code directory} is a bus's spool: it holds a lock file, a checkpoint or a segment. */
    public static boolean isSpool(Path directory) throws IOException {
        return Files.isRegularFile(directory.resolve(SpoolLock.FILE)) || Files.isRegularFile(directory.resolve(Checkpoint.FILE))
                || !SegmentScan.files(directory).isEmpty();
    }

    /**
     * Reads the spool in {@code directory}, telling {@code listener} of each waiting record and
     * each damaged stretch.
     *
     * @throws IOException when the directory or one of its files cannot be read
     */
    public static SpoolInspection inspect(Path directory, Listener listener) throws IOException {
        return new SpoolInspection(directory, listener);
    }

    private void scan(Listener listener) throws IOException {
        long acknowledged = Checkpoint.read(directory);
        acknowledgedBefore = acknowledged;
        List<Path> files = SegmentScan.files(directory);
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            // The bus appends to its newest segment: a frame it is still writing is not damage.
            boolean beingWritten = inUse && i == files.size() - 1;
            SegmentScan scan;
            try {
                scan = SegmentScan.of(file, DiskSpool.DEFAULT_MAX_RECORD_BYTES, new SegmentScan.Visitor() {
                    @Override
                    public void record(SpooledRecord record, int frameBytes) {
                        if (record.sequence() >= acknowledged) {
                            waitingRecords++;
                            waitingBytes += frameBytes;
                            oldestWaitingMs = oldestWaitingMs < 0 ? record.record().timestampMs() : oldestWaitingMs;
                            listener.waiting(record);
                        }
                    }

                    @Override
                    public void damaged(long from, long to, long regions, boolean atEnd) {
                        if (!(beingWritten && atEnd)) {
                            damagedRegions += regions;
                            listener.damaged(file, from, to, regions, atEnd);
                        }
                    }
                });
            } catch (NoSuchFileException e) {
                continue; // delivered and deleted by the running bus since the listing
            }
            segmentFiles++;
            segmentBytes += scan.bytes;
        }
    }

    public Path directory() { return directory; }
    /** Whether a running bus (another process) holds the directory now. */
    public boolean inUse() { return inUse; }
    /** The description its current or last owner wrote into the lock file; "" if none. */
    public String owner() { return owner; }
    /**
     * Null when this plugin reads the spool's format; else why not (a newer version wrote it), and
     * the counts cover only what was read before.
     */
    public String formatProblem() { return formatProblem; }
    /** The checkpoint: every record numbered below it was delivered. */
    public long acknowledgedBefore() { return acknowledgedBefore; }
    public long waitingRecords() { return waitingRecords; }
    /** Bytes of the waiting records' frames. */
    public long waitingBytes() { return waitingBytes; }
    /** When the oldest waiting record was published (ms since the epoch), or -1 when none waits. */
    public long oldestWaitingMs() { return oldestWaitingMs; }
    public int segmentFiles() { return segmentFiles; }
    public long segmentBytes() { return segmentBytes; }
    /** Damaged stretches (bad checksum, torn write), each at least one record, as the bus counts them. */
    public long damagedRegions() { return damagedRegions; }
}
