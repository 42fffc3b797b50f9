package io.kafkabus.cloudstack.spool;

import static io.kafkabus.cloudstack.spool.DiskSpoolTest.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.kafkabus.cloudstack.routing.RoutedRecord;

/** The segment format: frames written as the spool writes them, read back, damaged in each way. */
class SegmentFileTest {
    private static final int MAX_RECORD = 1 << 20;

    @TempDir
    Path dir;

    private final int frame = SegmentFile.unsealedFrame(record(0)).remaining();

    /** A segment of records 0, 1 and 2 (sequence numbers 10, 11, 12). */
    private Path segment() throws IOException {
        Path file = dir.resolve(SegmentFile.fileName(10));
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            for (int i = 0; i < 3; i++) {
                out.write(SegmentFile.seal(SegmentFile.unsealedFrame(record(i)), 10 + i).array());
            }
        }
        return file;
    }

    private static List<Long> read(SegmentFile.Reader reader, long limit) throws IOException {
        List<Long> sequences = new ArrayList<>();
        for (SpooledRecord r = reader.next(limit); r != null; r = reader.next(limit)) {
            assertEquals(record((int) (r.sequence() - 10)), r.record());
            sequences.add(r.sequence());
        }
        return sequences;
    }

    private static void xor(Path file, long at, int mask) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ mask);
        }
    }

    @Test
    void framesRoundTripAndNamesGiveTheBaseSequence() throws Exception {
        Path file = segment();
        assertEquals(10, SegmentFile.baseSequenceOf(file));
        assertEquals(-1, SegmentFile.baseSequenceOf(dir.resolve("checkpoint")));
        try (SegmentFile.Reader reader = new SegmentFile.Reader(file, MAX_RECORD)) {
            assertEquals(List.of(10L, 11L, 12L), read(reader, reader.size()));
            assertEquals(frame, reader.lastFrameBytes());
            assertEquals(0, reader.damagedRegions());
            assertEquals(3L * frame, reader.position());
        }
    }

    @Test
    void oneReadServesManyRecordsAndARecordLargerThanTheReadAheadComesWhole() throws Exception {
        Path file = dir.resolve(SegmentFile.fileName(0));
        RoutedRecord large = new RoutedRecord("events", null, "y".repeat(SegmentFile.Reader.READ_AHEAD + 1000)
                .getBytes(StandardCharsets.UTF_8), Map.of(), 1L);
        List<RoutedRecord> written = new ArrayList<>();
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            for (int i = 0; i < 2_000; i++) {
                RoutedRecord r = i == 1_000 ? large : record(i);
                written.add(r);
                out.write(SegmentFile.seal(SegmentFile.unsealedFrame(r), i).array());
            }
        }
        try (SegmentFile.Reader reader = new SegmentFile.Reader(file, MAX_RECORD)) {
            for (int i = 0; i < written.size(); i++) {
                SpooledRecord r = reader.next(reader.size());
                assertEquals(i, r.sequence());
                assertEquals(written.get(i), r.record());
            }
            assertNull(reader.next(reader.size()));
            // 2,000 records of ~250 bytes and one of 263 kB: a handful of reads, not one or two per record.
            assertTrue(reader.reads() <= 6, "reads: " + reader.reads());
        }
    }

    /** A flipped bit in record 11's magic number, or in its payload (bad checksum): that frame is skipped. */
    @ParameterizedTest
    @ValueSource(strings = {"magic", "payload"})
    void aDamagedFrameIsSkipped(String where) throws Exception {
        Path file = segment();
        xor(file, where.equals("magic") ? frame : frame + frame / 2, 0x01);
        try (SegmentFile.Reader reader = new SegmentFile.Reader(file, MAX_RECORD)) {
            assertEquals(List.of(10L, 12L), read(reader, reader.size()));
            assertEquals(1, reader.damagedRegions());
        }
    }

    @Test
    void aTornTailIsDamageAtTheEnd() throws Exception {
        Path file = segment();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(3L * frame - 7);
        }
        try (SegmentFile.Reader reader = new SegmentFile.Reader(file, MAX_RECORD)) {
            assertEquals(List.of(10L, 11L), read(reader, reader.size()));
            assertEquals(1, reader.damagedRegions());
        }
    }

    @Test
    void aLengthLargerThanARecordMayBeIsDamageNotAnAllocation() throws Exception {
        // A damaged header claims 2 GiB within a (sparse) file that long; an intact frame follows it.
        Path file = dir.resolve(SegmentFile.fileName(10));
        ByteBuffer intact = SegmentFile.seal(SegmentFile.unsealedFrame(record(1)), 11);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(12).putInt(0x4B455631).putInt(Integer.MAX_VALUE).putInt(0).array());
            f.write(intact.array());
            f.setLength(12L + Integer.MAX_VALUE + 1);
        }
        try (SegmentFile.Reader reader = new SegmentFile.Reader(file, MAX_RECORD)) {
            SpooledRecord r = reader.next(reader.size());
            assertEquals(11, r.sequence());
            assertEquals(1, reader.damagedRegions());
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aLengthAboveTheMaximumWithinTheFileIsDamage() throws Exception {
        Path file = segment();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(4);
            f.writeInt(frame + frame - 12); // record 10's frame claims record 11's too
        }
        try (SegmentFile.Reader reader = new SegmentFile.Reader(file, frame)) {
            assertEquals(List.of(11L, 12L), read(reader, reader.size()));
            assertEquals(1, reader.damagedRegions());
            assertNull(reader.next(reader.size()));
        }
    }
}
