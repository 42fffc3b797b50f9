package io.kafkabus.cloudstack.event;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;

/**
 * JSON text held in a string value, as older CloudStack releases send {@code cmdInfo} and every
 * release sends {@code ctxDetails} inside it: secrets hide there too.
 */
final class NestedJson {
    private NestedJson() {
    }

    /**
     * Whether the parser's current string value starts, past white space, with '{' or '['. Looks
     * at the parser's own characters, so the usual string costs no copy.
     */
    static boolean mayHold(JsonParser parser) throws IOException {
        char[] text = parser.getTextCharacters();
        int end = parser.getTextOffset() + parser.getTextLength();
        for (int i = parser.getTextOffset(); i < end; i++) {
            char c = text[i];
            if (c > ' ') {
                return c == '{' || c == '[';
            }
        }
        return false;
    }

    /** Whether the parser's current string value is JSON text that the rules redact in or expand. */
    static boolean changes(JsonParser parser, FieldRules rules) throws IOException {
        DescriptionScan nested = DescriptionScan.ofNested(parser.getText(), rules);
        return nested != null && (nested.rewrite() || rules.expands(parser.currentName()));
    }
}
