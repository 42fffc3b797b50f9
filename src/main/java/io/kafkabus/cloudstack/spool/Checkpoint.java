package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The spool's recorded progress: the sequence number below which every record is acknowledged, as
 * decimal text in one file. Written to a temporary file and renamed over the old one, so a crash
 * leaves the old value or the new, never half of one.
 */
final class Checkpoint {
    static final String FILE = "checkpoint";

    private Checkpoint() {
    }

    /** The recorded progress, or 0 when there is none (first start) or it cannot be read: duplicates, not loss. */
    static long read(Path directory) {
        try {
            return Long.parseLong(Files.readString(directory.resolve(FILE), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    static void write(Path directory, long acknowledgedBefore) throws IOException {
        Path temporary = directory.resolve(FILE + ".tmp");
        Files.writeString(temporary, Long.toString(acknowledgedBefore), StandardCharsets.US_ASCII);
        Files.move(temporary, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
