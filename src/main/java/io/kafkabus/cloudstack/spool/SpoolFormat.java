package io.kafkabus.cloudstack.spool;

/**
 * The version of the spool's on-disk format, which this plugin writes and the only one it reads.
 *
 * <p>Format 1, in the spool directory ({@code spool.dir/<bus name>}):
 * <ul>
 * <li>{@code <20-digit base sequence>.seg}: {@link SegmentFile segments} of frames
 *     {@code "KEV" <version as an ASCII digit> | payload length | CRC32C(payload) | payload}, the
 *     payload being the sequence number and the {@link RecordCodec record} (whose own version byte
 *     is 1 in this format);</li>
 * <li>{@code checkpoint}: the {@link Checkpoint} text, {@code format=1} and the sequence number below
 *     which every record was delivered;</li>
 * <li>{@code spool.lock}: the {@link SpoolLock} with its owner's description, text for people only.</li>
 * </ul>
 * A version that changes any of these bytes raises the version, and reads every older format. A spool
 * in a newer format than this one is refused whole ({@link SpoolFormatException}) and left untouched:
 * read as damage, its records would be skipped and its files deleted.
 */
public final class SpoolFormat {
    public static final int VERSION = 1;

    private SpoolFormat() {
    }
}
