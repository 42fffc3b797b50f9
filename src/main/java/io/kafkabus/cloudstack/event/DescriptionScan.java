package io.kafkabus.cloudstack.event;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The first pass over a description: checks that it is exactly one JSON value, notes its top-level
 * {@code status} and {@code entityuuid}, and finds out whether anything in it must be rewritten. It
 * writes nothing, so a description with nothing to redact or expand costs one read.
 */
final class DescriptionScan {
    private final FieldRules rules;
    private boolean rewrite;
    private String status;
    private String entityUuid;

    private DescriptionScan(FieldRules rules) {
        this.rules = rules;
    }

    /** The scan of a description, or null when it is not exactly one JSON object. */
    static DescriptionScan ofObject(JsonParser parser, FieldRules rules) throws IOException {
        DescriptionScan scan = new DescriptionScan(rules);
        return parser.nextToken() == JsonToken.START_OBJECT && scan.readRest(parser, true) ? scan : null;
    }

    /**
     * The scan of JSON text found in a string value, or null when that text is not exactly one
     * JSON object or array (then it stays the string it is). Its status fields do not count.
     */
    static DescriptionScan ofNested(String text, FieldRules rules) {
        try (JsonParser parser = DescriptionProcessor.JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            DescriptionScan scan = new DescriptionScan(rules);
            return (first == JsonToken.START_OBJECT || first == JsonToken.START_ARRAY) && scan.readRest(parser, false)
                    ? scan : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether writing the value as the rules want changes it. */
    boolean rewrite() { return rewrite; }
    String status() { return status; }
    String entityUuid() { return entityUuid; }

    /** Reads from just after the opening token to the end of the input; false when anything follows the value. */
    private boolean readRest(JsonParser parser, boolean description) throws IOException {
        int depth = 1;
        while (depth > 0) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return false;
            }
            switch (token) {
                case START_OBJECT:
                case START_ARRAY:
                    depth++;
                    break;
                case END_OBJECT:
                case END_ARRAY:
                    depth--;
                    break;
                case FIELD_NAME:
                    if (rules.redacts(parser.currentName())) {
                        rewrite = true;
                        parser.nextToken();
                        parser.skipChildren(); // still read, so malformed JSON is found
                    }
                    break;
                case VALUE_STRING:
                    if (description && depth == 1) {
                        noteStatus(parser);
                    }
                    if (!rewrite && rules.inspectsStrings() && NestedJson.mayHold(parser)) {
                        rewrite = NestedJson.changes(parser, rules);
                    }
                    break;
                default:
                    break;
            }
        }
        return parser.nextToken() == null;
    }

    /** Exact names: these are what ActionEvents carry, and routing must not guess. */
    private void noteStatus(JsonParser parser) throws IOException {
        String name = parser.currentName();
        if ("status".equals(name)) {
            status = parser.getText();
        } else if ("entityuuid".equals(name)) {
            entityUuid = parser.getText();
        }
    }
}
