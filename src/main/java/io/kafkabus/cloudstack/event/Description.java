package io.kafkabus.cloudstack.event;

/**
 * An event's description as the bus publishes it: its text (secrets redacted), its JSON bytes when
 * it is one JSON object, and the top-level fields the bus routes on. Immutable.
 */
public final class Description {
    private final String text;
    private final byte[] jsonObject;
    private final String status;
    private final String entityUuid;

    Description(String text, byte[] jsonObject, String status, String entityUuid) {
        this.text = text;
        this.jsonObject = jsonObject;
        this.status = status;
        this.entityUuid = entityUuid;
    }

    /** {@code text} read as it is, nothing redacted (tests, and the warm-up). */
    public static Description unprocessed(String text) {
        return DescriptionProcessor.unprocessed().process(text);
    }

    /** Null when CloudStack gave none. */
    public String text() { return text; }
    /** The UTF-8 JSON object, or null when the description is not one; not copied: never change it. */
    byte[] jsonObject() { return jsonObject; }
    public String status() { return status; }
    public String entityUuid() { return entityUuid; }
}
