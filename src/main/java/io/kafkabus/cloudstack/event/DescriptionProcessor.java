package io.kafkabus.cloudstack.event;

import java.util.List;

/** STUB until the desc branch lands. */
public final class DescriptionProcessor {
    public DescriptionProcessor(boolean redact, List<String> extraRedactedNames, List<String> expandFields) {
    }

    public Description process(String raw) {
        return Description.unprocessed(raw);
    }
}
