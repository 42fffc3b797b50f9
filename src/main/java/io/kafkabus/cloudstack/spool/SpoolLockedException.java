package io.kafkabus.cloudstack.spool;

import java.io.IOException;
import java.nio.file.Path;

/** Another bus (in this JVM or another) owns the spool directory. */
public final class SpoolLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    SpoolLockedException(Path directory, String owner) {
        super("spool directory " + directory + " is in use by " + (owner.isBlank() ? "another process" : owner));
    }
}
