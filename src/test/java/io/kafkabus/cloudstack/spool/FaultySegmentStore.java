package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.io.SyncFailedException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The real segment store, whose operations fail while a test says so, and which counts them. */
final class FaultySegmentStore implements SegmentStore {
    volatile boolean failCreate;
    volatile boolean failSync;
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger syncsDone = new AtomicInteger();
    /** When each sync was attempted (System.nanoTime), failed or not. */
    final List<Long> syncAttempts = new CopyOnWriteArrayList<>();
    /** How many segments had been created at each directory sync. */
    final List<Integer> directorySyncs = new CopyOnWriteArrayList<>();

    @Override
    public Output create(Path file) throws IOException {
        if (failCreate) {
            throw new IOException(file + ": Too many open files (simulated)");
        }
        Output real = FileSegmentStore.INSTANCE.create(file);
        created.incrementAndGet();
        return new Output() {
            @Override
            public void write(byte[] bytes, int offset, int length, long position) throws IOException {
                real.write(bytes, offset, length, position);
            }

            @Override
            public void truncate(long size) throws IOException {
                real.truncate(size);
            }

            @Override
            public void sync() throws IOException {
                syncAttempts.add(System.nanoTime());
                if (failSync) {
                    throw new SyncFailedException("sync failed (simulated)");
                }
                real.sync();
                syncsDone.incrementAndGet();
            }

            @Override
            public void close() throws IOException {
                real.close();
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        int createdBefore = created.get();
        FileSegmentStore.INSTANCE.syncDirectory(directory);
        directorySyncs.add(createdBefore);
    }

    @Override
    public void delete(Path file) throws IOException {
        FileSegmentStore.INSTANCE.delete(file);
    }
}
