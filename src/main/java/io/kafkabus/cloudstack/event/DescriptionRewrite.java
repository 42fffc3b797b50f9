package io.kafkabus.cloudstack.event;

import java.io.IOException;
import java.io.StringWriter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The second pass, taken only when {@link DescriptionScan} found something to change: copies the
 * JSON token by token, values of redacted fields replaced, JSON text in strings processed in turn.
 * Numbers are copied as text, so they keep every digit.
 */
final class DescriptionRewrite {
    static final String REDACTED = "[redacted]";

    private final FieldRules rules;

    DescriptionRewrite(FieldRules rules) {
        this.rules = rules;
    }

    /** Copies every token the parser has left; its input was checked by {@link DescriptionScan}. */
    void copy(JsonParser parser, JsonGenerator out) throws IOException {
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
            switch (token) {
                case START_OBJECT:
                    out.writeStartObject();
                    break;
                case END_OBJECT:
                    out.writeEndObject();
                    break;
                case START_ARRAY:
                    out.writeStartArray();
                    break;
                case END_ARRAY:
                    out.writeEndArray();
                    break;
                case FIELD_NAME:
                    out.writeFieldName(parser.currentName());
                    if (rules.redacts(parser.currentName())) {
                        parser.nextToken();
                        parser.skipChildren();
                        out.writeString(REDACTED);
                    }
                    break;
                case VALUE_STRING:
                    copyString(parser, out);
                    break;
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    out.writeNumber(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    break;
                case VALUE_TRUE:
                case VALUE_FALSE:
                    out.writeBoolean(token == JsonToken.VALUE_TRUE);
                    break;
                case VALUE_NULL:
                    out.writeNull();
                    break;
                default:
                    // A text parser gives no other token (embedded objects come only from object codecs).
                    throw new IllegalStateException("unexpected JSON token " + token);
            }
        }
    }

    /** A string as it is, or the JSON it holds processed: written as JSON when expanded, else again as a string. */
    private void copyString(JsonParser parser, JsonGenerator out) throws IOException {
        if (!rules.inspectsStrings() || !NestedJson.mayHold(parser)) {
            out.writeString(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            return;
        }
        String text = parser.getText();
        DescriptionScan nested = DescriptionScan.ofNested(text, rules);
        if (nested == null) {
            out.writeString(text);
            return;
        }
        if (rules.expands(parser.currentName())) {
            // Token by token rather than as raw text: a lone surrogate in it is then escaped, not an error.
            try (JsonParser json = DescriptionProcessor.JSON.createParser(text)) {
                copy(json, out);
            }
        } else {
            out.writeString(nested.rewrite() ? rewrite(text) : text);
        }
    }

    private String rewrite(String json) throws IOException {
        StringWriter text = new StringWriter(json.length());
        try (JsonParser parser = DescriptionProcessor.JSON.createParser(json);
             JsonGenerator out = DescriptionProcessor.JSON.createGenerator(text)) {
            copy(parser, out);
        }
        return text.toString();
    }
}
