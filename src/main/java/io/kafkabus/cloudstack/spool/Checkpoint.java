package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The spool's recorded progress: the sequence number below which every record is acknowledged, in
 * a small properties file that also names its {@link SpoolFormat} version. Written to a temporary
 * file and renamed over the old one, so a crash leaves the old value or the new, never half of one.
 */
final class Checkpoint {
    static final String FILE = "checkpoint";
    private static final String FORMAT = "format";
    private static final String ACKNOWLEDGED_BEFORE = "acknowledgedBefore";

    private Checkpoint() {
    }

    /**
     * The recorded progress, or 0 when there is none (first start) or it cannot be read: duplicates, not loss.
     *
     * @throws SpoolFormatException when a newer version of the plugin wrote it
     */
    static long read(Path directory) throws SpoolFormatException {
        Path file = directory.resolve(FILE);
        Properties checkpoint = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            checkpoint.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return 0;
        }
        String format = checkpoint.getProperty(FORMAT);
        if (format != null && !format.equals(Integer.toString(SpoolFormat.VERSION))) {
            throw new SpoolFormatException(file, "is of spool format " + format);
        }
        // Builds before the format was named wrote the bare number, which Properties reads as a key.
        String acknowledgedBefore = format == null && checkpoint.size() == 1
                ? checkpoint.stringPropertyNames().iterator().next()
                : checkpoint.getProperty(ACKNOWLEDGED_BEFORE, "0");
        try {
            return Long.parseLong(acknowledgedBefore);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static void write(Path directory, long acknowledgedBefore) throws IOException {
        Path temporary = directory.resolve(FILE + ".tmp");
        Files.writeString(temporary, "# Kafka event bus spool: every event numbered below " + ACKNOWLEDGED_BEFORE
                + " was delivered.\n" + FORMAT + "=" + SpoolFormat.VERSION + "\n" + ACKNOWLEDGED_BEFORE + "="
                + acknowledgedBefore + "\n", StandardCharsets.ISO_8859_1);
        Files.move(temporary, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
