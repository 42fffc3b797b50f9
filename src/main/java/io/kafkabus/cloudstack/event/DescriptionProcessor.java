package io.kafkabus.cloudstack.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

/**
 * Makes a {@link Description} of CloudStack's description text: redacts secrets, expands JSON
 * held in strings where asked, and picks out the fields the bus routes on. This runs on
 * CloudStack's publishing thread, before the event reaches the spool, so secrets are never written
 * to disk nor sent. Streaming only (no tree), and the usual description, with nothing to change,
 * is read once and its bytes kept as they are. Never throws. Thread-safe.
 */
public final class DescriptionProcessor {
    /** Default limits: JSON nested deeper than Jackson allows is kept as text. */
    static final JsonFactory JSON = new JsonFactory();

    private static final DescriptionProcessor UNPROCESSED = new DescriptionProcessor(false, List.of(), List.of());
    private static final Description REDACTED = new Description(
            DescriptionRewrite.REDACTED, null, null, null);

    private final FieldRules rules;

    /**
     * @param redact whether to redact (redact.enabled)
     * @param extraRedactedNames names redacted besides {@link FieldRules#DENY_WORDS} (redact.fields.extra)
     * @param expandFields fields whose JSON text is written as JSON (description.expand.fields)
     */
    public DescriptionProcessor(boolean redact, List<String> extraRedactedNames, List<String> expandFields) {
        this.rules = new FieldRules(redact, extraRedactedNames, expandFields);
    }

    /** A processor that only reads: nothing redacted, nothing expanded. */
    static DescriptionProcessor unprocessed() {
        return UNPROCESSED;
    }

    /** {@code raw}, null allowed, as the bus publishes it. */
    public Description process(String raw) {
        // Cheap test first: most alerts and free text end here without being encoded.
        if (raw == null || !raw.stripLeading().startsWith("{")) {
            return new Description(raw, null, null, null);
        }
        // A lone surrogate, which UTF-8 cannot carry, becomes '?'.
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        DescriptionScan scan;
        try (JsonParser parser = JSON.createParser(bytes)) {
            scan = DescriptionScan.ofObject(parser, rules);
        } catch (IOException | RuntimeException e) {
            scan = null;
        }
        if (scan == null) {
            // Not one JSON object: no field names, so nothing to redact by name.
            return new Description(raw, null, null, null);
        }
        if (!scan.rewrite()) {
            return new Description(raw, bytes, scan.status(), scan.entityUuid());
        }
        try {
            byte[] rewritten = rewrite(bytes);
            return new Description(new String(rewritten, StandardCharsets.UTF_8), rewritten, scan.status(), scan.entityUuid());
        } catch (IOException | RuntimeException e) {
            // The scan read this JSON whole, so this should not happen; if it does, the text may
            // hold a secret that could not be taken out, so none of it is published.
            return REDACTED;
        }
    }

    private byte[] rewrite(byte[] json) throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder(json.length);
        try (JsonParser parser = JSON.createParser(json); JsonGenerator generator = JSON.createGenerator(out)) {
            new DescriptionRewrite(rules).copy(parser, generator);
        }
        return out.toByteArray();
    }
}
