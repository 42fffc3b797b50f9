package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The spool directory holds a file in a spool format this version of the plugin does not read,
 * written by a newer version; its events are left where they are.
 */
public final class SpoolFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param found what is newer about {@code file}, completing "spool file <file> ..." */
    SpoolFormatException(Path file, String found) {
        super("spool file " + file + " " + found + ", written by a newer version of the plugin; this version"
                + " reads spool format " + SpoolFormat.VERSION + " only. Its events are kept: install the newer"
                + " version again to deliver them");
    }
}
