package io.kafkabus.cloudstack.spool;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The file operations the spool's writer does, behind one seam so that tests can make any of them
 * fail (a full disk, too many open files, a failing fsync) and see the spool hold.
 */
interface SegmentStore {

    /** Creates {@code file}, which must not exist yet, and opens it for writing. */
    Output create(Path file) throws IOException;

    /** Forces the directory's entries to disk, so that a newly created file's name survives a power loss. */
    void syncDirectory(Path directory) throws IOException;

    void delete(Path file) throws IOException;

    /**
     * A segment file open for writing. Its operations do not look at the caller's interrupt flag
     * (unlike a {@code FileChannel}'s, which close the channel for every user), so an interrupted
     * caller harms nothing.
     */
    interface Output extends Closeable {
        void write(byte[] bytes, int offset, int length, long position) throws IOException;

        void truncate(long size) throws IOException;

        void sync() throws IOException;
    }
}
