package io.kafkabus.cloudstack.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kafkabus.cloudstack.routing.RoutedRecord;

/**
 * The spool format across versions: a spool written by this version ({@link SpoolFixture}, committed)
 * is read back as written; files of a newer format are refused whole and left as they are, not read
 * as damage and deleted.
 */
class SpoolFormatTest {
    private static final String FIRST_SEGMENT = SegmentFile.fileName(0);
    private static final String SECOND_SEGMENT = SegmentFile.fileName(SpoolFixture.FIRST_RUN);

    @TempDir
    Path dir;

    /** A copy of the committed fixture, which a spool opened in place would change. */
    private Path fixtureCopy() throws IOException, URISyntaxException {
        Path fixture = Paths.get(Objects.requireNonNull(getClass().getResource("/" + SpoolFixture.RESOURCE)).toURI());
        try (Stream<Path> files = Files.list(fixture)) {
            for (Path file : files.collect(Collectors.toList())) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        return dir;
    }

    private static String describe(long sequence, RoutedRecord record) {
        return sequence + " topic=" + record.topic() + " key=" + new String(record.key(), StandardCharsets.UTF_8)
                + " timestamp=" + record.timestampMs() + " headers=" + record.headers().entrySet().stream()
                .map(h -> h.getKey() + "=" + new String(h.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining(","))
                + " value=" + new String(record.value(), StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> contents(Path directory) throws IOException {
        Map<String, byte[]> contents = new HashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.collect(Collectors.toList())) {
                contents.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        }
        return contents;
    }

    private static void overwrite(Path file, long at, byte[] bytes) throws IOException {
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(at);
            out.write(bytes);
        }
    }

    @Test
    void theFixtureIsInFormat1() throws Exception {
        Path spool = fixtureCopy();
        assertEquals(List.of(FIRST_SEGMENT, SECOND_SEGMENT, Checkpoint.FILE, SpoolLock.FILE),
                contents(spool).keySet().stream().sorted().collect(Collectors.toList()));
        for (String segment : List.of(FIRST_SEGMENT, SECOND_SEGMENT)) {
            assertEquals("KEV1", new String(Files.readAllBytes(spool.resolve(segment)), 0, 4, StandardCharsets.US_ASCII));
        }
        List<String> checkpoint = Files.readAllLines(spool.resolve(Checkpoint.FILE), StandardCharsets.ISO_8859_1);
        assertEquals(List.of("format=1", "acknowledgedBefore=" + SpoolFixture.ACKNOWLEDGED), checkpoint.subList(1, 3));
    }

    @Test
    void aSpoolWrittenByThisVersionIsReadBackUndeliveredRecordsOnly() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int sequence = SpoolFixture.ACKNOWLEDGED; sequence < SpoolFixture.WRITTEN.size(); sequence++) {
            expected.add(describe(sequence, SpoolFixture.WRITTEN.get(sequence)));
        }

        List<String> read = new ArrayList<>();
        try (DiskSpool spool = SpoolFixture.open(fixtureCopy())) {
            assertEquals(SpoolFixture.ACKNOWLEDGED, spool.recoveryReport().acknowledgedBefore());
            assertEquals(expected.size(), spool.recoveryReport().pendingRecords());
            assertEquals(0, spool.recoveryReport().damagedRegions());
            for (SpooledRecord r = spool.poll(Duration.ZERO); r != null; r = spool.poll(Duration.ZERO)) {
                read.add(describe(r.sequence(), r.record()));
            }
        }
        assertEquals(expected, read);
    }

    @Test
    void aSegmentOfANewerFormatIsRefusedAndKept() throws Exception {
        Path spool = fixtureCopy();
        // The first segment holds acknowledged records only up to its last: read as damage, it would be deleted.
        overwrite(spool.resolve(FIRST_SEGMENT), 3, new byte[] {'2'});
        Map<String, byte[]> before = contents(spool);

        SpoolFormatException refused = assertThrows(SpoolFormatException.class, () -> SpoolFixture.open(spool).close());

        assertEquals("spool file " + spool.resolve(FIRST_SEGMENT) + " is in spool format 2, written by a newer version of"
                + " the plugin; this version reads spool format 1 only. Its events are kept: install the newer version"
                + " again to deliver them", refused.getMessage());
        assertUnchanged(before, spool);
    }

    @Test
    void anIntactRecordOfANewerVersionIsRefusedAndKept() throws Exception {
        ByteBuffer frame = SegmentFile.unsealedFrame(SpoolFixture.WRITTEN.get(0));
        frame.put(SegmentFile.FRAME_OVERHEAD, (byte) 2);
        Files.write(dir.resolve(FIRST_SEGMENT), SegmentFile.seal(frame, 0).array());
        Map<String, byte[]> before = contents(dir);

        SpoolFormatException refused = assertThrows(SpoolFormatException.class, () -> SpoolFixture.open(dir).close());

        assertTrue(refused.getMessage().startsWith("spool file " + dir.resolve(FIRST_SEGMENT)
                + " holds a record of version 2 (at byte 0), written by a newer version of the plugin"), refused.getMessage());
        assertUnchanged(before, dir);
    }

    @Test
    void aCheckpointOfANewerFormatIsRefusedAndKept() throws Exception {
        Path spool = fixtureCopy();
        Files.writeString(spool.resolve(Checkpoint.FILE), "format=2\nacknowledgedBefore=5\n", StandardCharsets.ISO_8859_1);
        Map<String, byte[]> before = contents(spool);

        SpoolFormatException refused = assertThrows(SpoolFormatException.class, () -> SpoolFixture.open(spool).close());

        assertTrue(refused.getMessage().startsWith("spool file " + spool.resolve(Checkpoint.FILE)
                + " is of spool format 2, written by a newer version of the plugin"), refused.getMessage());
        assertUnchanged(before, spool);
    }

    @Test
    void theBareNumberCheckpointOfEarlierBuildsIsStillReadSoNothingIsResent() throws Exception {
        Path spool = fixtureCopy();
        Files.writeString(spool.resolve(Checkpoint.FILE), "2", StandardCharsets.US_ASCII);
        assertEquals(2, Checkpoint.read(spool));
    }

    /** Refused, the directory is as it was, bar the lock file's owner text. */
    private static void assertUnchanged(Map<String, byte[]> before, Path spool) throws IOException {
        Map<String, byte[]> after = contents(spool);
        before.remove(SpoolLock.FILE);
        after.remove(SpoolLock.FILE);
        assertEquals(before.keySet(), after.keySet());
        for (String name : before.keySet()) {
            assertTrue(Arrays.equals(before.get(name), after.get(name)), name + " changed");
        }
    }
}
