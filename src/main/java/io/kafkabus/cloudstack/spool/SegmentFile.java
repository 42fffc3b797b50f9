package io.kafkabus.cloudstack.spool;

import java.io.Closeable;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import io.kafkabus.cloudstack.routing.RoutedRecord;

/**
 * One spool segment: a file of frames {@code magic | payload length | CRC32C(payload) | payload},
 * the payload being the record's sequence number and its {@link RecordCodec} bytes. The magic is
 * {@code "KEV"} and the {@link SpoolFormat} version as an ASCII digit ({@code "KEV1"}). Files are named
 * after the first sequence number they hold. A frame torn by a crash or damaged on disk fails its
 * checksum; the reader skips to the next intact frame. A length larger than a record may be is
 * damage too, so a damaged length field never makes the reader allocate more than one record. A
 * frame of another format version, or an intact record of another record version, is no damage but
 * a newer plugin's: the reader refuses it rather than skip it.
 */
final class SegmentFile {
    static final String SUFFIX = ".seg";
    private static final int MAGIC_PREFIX = 0x4B4556; // "KEV"
    private static final int MAGIC = MAGIC_PREFIX << 8 | ('0' + SpoolFormat.VERSION);
    private static final int HEADER_BYTES = 12;
    /** Bytes of a frame besides its record's: the header and the sequence number. */
    static final int FRAME_OVERHEAD = HEADER_BYTES + 8;

    private SegmentFile() {
    }

    static String fileName(long baseSequence) {
        return String.format("%020d%s", baseSequence, SUFFIX);
    }

    /** The base sequence a segment file's name gives, or -1 if the name is not a segment's. */
    static long baseSequenceOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX) || name.length() != 20 + SUFFIX.length()) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The frame of {@code record}, all but its sequence number and checksum, which {@link #seal}
     * adds: encoding, the costly part, needs no lock.
     */
    static ByteBuffer unsealedFrame(RoutedRecord record) {
        return unsealedFrame(record, null);
    }

    /**
     * As {@link #unsealedFrame(RoutedRecord)}, encoded into {@code reusable} (its contents replaced,
     * its limit the frame's end) when it has room, else into a new buffer.
     */
    static ByteBuffer unsealedFrame(RoutedRecord record, ByteBuffer reusable) {
        int payloadLength = 8 + RecordCodec.encodedSize(record);
        int frameLength = HEADER_BYTES + payloadLength;
        ByteBuffer frame = reusable != null && reusable.capacity() >= frameLength
                ? reusable.clear().limit(frameLength) : ByteBuffer.allocate(frameLength);
        frame.position(HEADER_BYTES + 8);
        RecordCodec.encode(record, frame);
        frame.putInt(0, MAGIC).putInt(4, payloadLength);
        frame.position(0);
        return frame;
    }

    /** Gives an {@link #unsealedFrame} its sequence number and the checksum that covers it. */
    static ByteBuffer seal(ByteBuffer frame, long sequence) {
        int payloadLength = frame.getInt(4);
        frame.putLong(HEADER_BYTES, sequence);
        CRC32C crc = new CRC32C();
        crc.update(frame.array(), HEADER_BYTES, payloadLength);
        frame.putInt(8, (int) crc.getValue());
        return frame;
    }

    /**
     * Reads frames in order, skipping damaged ones, a read-ahead window at a time (one read serves
     * hundreds of ordinary records). Reads through {@link RandomAccessFile}, which an interrupt of
     * the reading thread does not close. Never reads past the limit it is given, so bytes an append
     * is still writing are never taken in. Not thread-safe.
     */
    static final class Reader implements Closeable {
        private static final int SCAN_CHUNK = 64 << 10;
        static final int READ_AHEAD = 256 << 10;
        private final Path path;
        private final RandomAccessFile file;
        private final long maxPayloadLength;
        private final CRC32C crc = new CRC32C();
        /** Bytes of the file from {@link #windowStart}, as many as {@code window.limit()}. */
        private ByteBuffer window = ByteBuffer.allocate(READ_AHEAD).limit(0);
        private long windowStart;
        private long position;
        private int lastFrameBytes;
        private long damagedRegions;
        private long reads;

        /**
         * @param maxRecordBytes the largest record the spool takes: a frame claiming more is damage
         * @throws NoSuchFileException when {@code file} does not exist
         */
        Reader(Path file, int maxRecordBytes) throws IOException {
            this.path = file;
            this.file = openForReading(file);
            this.maxPayloadLength = 8L + maxRecordBytes;
        }

        private static RandomAccessFile openForReading(Path file) throws IOException {
            try {
                return new RandomAccessFile(file.toFile(), "r");
            } catch (FileNotFoundException e) {
                if (Files.notExists(file)) {
                    NoSuchFileException missing = new NoSuchFileException(file.toString());
                    missing.initCause(e);
                    throw missing;
                }
                throw e;
            }
        }

        long size() throws IOException {
            return file.length();
        }

        /** Size of the frame {@link #next} returned last. */
        int lastFrameBytes() {
            return lastFrameBytes;
        }

        /** Bytes consumed so far: where the next frame starts. */
        long position() {
            return position;
        }

        /** Reads from the file so far. */
        long reads() {
            return reads;
        }

        /** Moves to {@code position}, where a frame starts. */
        void skipTo(long position) {
            this.position = position;
        }

        /** Damaged stretches skipped so far, each holding at least one record. */
        long damagedRegions() {
            return damagedRegions;
        }

        /**
         * The next intact frame below {@code limit} (which must lie on a frame boundary: the end of
         * a finished segment, or how far the active one is written), or null at {@code limit}.
         *
         * @throws SpoolFormatException at a frame or record a newer version of the plugin wrote
         */
        SpooledRecord next(long limit) throws IOException {
            while (position + HEADER_BYTES <= limit) {
                int at = fetch(position, HEADER_BYTES, limit);
                int magic = window.getInt(at);
                int length = window.getInt(at + 4);
                if (magic != MAGIC && magic >>> 8 == MAGIC_PREFIX) {
                    throw new SpoolFormatException(path, "is in spool format " + versionName((byte) magic));
                }
                if (magic == MAGIC && length >= 8 && length <= maxPayloadLength && position + HEADER_BYTES + length <= limit) {
                    int expectedCrc = window.getInt(at + 8);
                    SpooledRecord record = decode(fetch(position, HEADER_BYTES + length, limit) + HEADER_BYTES, length,
                            expectedCrc);
                    if (record != null) {
                        lastFrameBytes = HEADER_BYTES + length;
                        position += lastFrameBytes;
                        return record;
                    }
                }
                damagedRegions++;
                position = nextMagic(position + 1, limit);
            }
            return null;
        }

        /**
         * Makes the file's bytes {@code [at, at + length)}, which lie below {@code limit}, readable in
         * the window, reading ahead up to {@code limit}; returns where in the window they start.
         */
        private int fetch(long at, int length, long limit) throws IOException {
            if (at >= windowStart && at + length <= windowStart + window.limit()) {
                return (int) (at - windowStart);
            }
            int size = (int) Math.min(Math.max(length, READ_AHEAD), limit - at);
            if (window.capacity() < size || window.capacity() > READ_AHEAD && size <= READ_AHEAD) {
                // A record larger than the read-ahead gets a window of its own, given back after.
                window = ByteBuffer.allocate(Math.max(size, READ_AHEAD));
            }
            window.clear().limit(size);
            readFully(window, at);
            window.position(0);
            windowStart = at;
            return 0;
        }

        /** The record whose payload starts at {@code offset} in the window, or null if it is damaged. */
        private SpooledRecord decode(int offset, int length, int expectedCrc) throws SpoolFormatException {
            crc.reset();
            crc.update(window.array(), offset, length);
            if ((int) crc.getValue() != expectedCrc) {
                return null;
            }
            byte recordVersion = length > 8 ? window.get(offset + 8) : RecordCodec.VERSION;
            if (recordVersion != RecordCodec.VERSION) {
                throw new SpoolFormatException(path, "holds a record of version " + recordVersion + " (at byte "
                        + (windowStart + offset - HEADER_BYTES) + ")");
            }
            try {
                ByteBuffer payload = ByteBuffer.wrap(window.array(), offset, length);
                long sequence = payload.getLong();
                return new SpooledRecord(sequence, RecordCodec.decode(payload));
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** A format version byte as the magic spells it: a digit, or else its value. */
        private static String versionName(byte version) {
            return version >= '0' && version <= '9' ? String.valueOf((char) version) : String.format("byte 0x%02x", version);
        }

        /** Where the magic number next occurs at or after {@code from}, else {@code limit}. */
        private long nextMagic(long from, long limit) throws IOException {
            ByteBuffer chunk = ByteBuffer.allocate(SCAN_CHUNK);
            long at = from;
            while (at + 4 <= limit) {
                chunk.clear();
                chunk.limit((int) Math.min(SCAN_CHUNK, limit - at));
                readFully(chunk, at);
                for (int i = 0; i + 4 <= chunk.limit(); i++) {
                    if (chunk.getInt(i) == MAGIC) {
                        return at + i;
                    }
                }
                at += Math.max(1, chunk.limit() - 3);
            }
            return limit;
        }

        private void readFully(ByteBuffer buffer, long at) throws IOException {
            reads++;
            file.seek(at);
            try {
                file.readFully(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            } catch (EOFException e) {
                throw new IOException("segment ended inside a frame at " + at, e);
            }
            buffer.position(buffer.limit());
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
