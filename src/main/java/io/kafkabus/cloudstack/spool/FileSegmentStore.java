package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The real {@link SegmentStore}: segment files written through {@link RandomAccessFile} and forced
 * with {@code FileDescriptor.sync()}, neither of which is interruptible.
 */
final class FileSegmentStore implements SegmentStore {
    static final FileSegmentStore INSTANCE = new FileSegmentStore();

    private FileSegmentStore() {
    }

    @Override
    public Output create(Path file) throws IOException {
        Files.createFile(file);
        try {
            return new FileOutput(new RandomAccessFile(file.toFile(), "rw"));
        } catch (IOException | RuntimeException e) {
            IoSteps.run(e, () -> Files.deleteIfExists(file));
            throw e;
        }
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        // Only the syncer thread does this, and it is never interrupted.
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @Override
    public void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    private static final class FileOutput implements Output {
        private final RandomAccessFile file;
        /** Where the file pointer is, or -1 if not known: appends in a row need no seek. */
        private long pointer;

        FileOutput(RandomAccessFile file) {
            this.file = file;
        }

        @Override
        public void write(byte[] bytes, int offset, int length, long position) throws IOException {
            if (pointer != position) {
                file.seek(position);
            }
            pointer = -1; // unknown should the write fail part-way
            file.write(bytes, offset, length);
            pointer = position + length;
        }

        @Override
        public void truncate(long size) throws IOException {
            pointer = -1;
            file.setLength(size);
        }

        @Override
        public void sync() throws IOException {
            file.getFD().sync();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
