package io.kafkabus.cloudstack.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.kafkabus.cloudstack.routing.RoutedRecord;
import io.kafkabus.cloudstack.spool.SpooledRecord;

/** A spooled record as one line of JSON, for {@code spool --dump} and jq. */
final class SpooledRecordJson {
    /** Reads a value only if it is JSON whole: "{} trailing" is text. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private SpooledRecordJson() {
    }

    /**
     * {@code {"sequence":..,"topic":..,"key":..,"timestamp":"<ISO-8601>","headers":{..},"value":..}}: key
     * and headers as UTF-8 text, the value as the JSON it holds, or as text when it is not JSON.
     */
    static String line(SpooledRecord spooled) {
        RoutedRecord record = spooled.record();
        ObjectNode line = JSON.createObjectNode();
        line.put("sequence", spooled.sequence());
        line.put("topic", record.topic());
        byte[] key = record.key();
        line.put("key", key == null ? null : new String(key, StandardCharsets.UTF_8));
        line.put("timestamp", Instant.ofEpochMilli(record.timestampMs()).toString());
        ObjectNode headers = line.putObject("headers");
        record.headers().forEach((name, value) -> headers.put(name, new String(value, StandardCharsets.UTF_8)));
        line.set("value", valueOf(record.value()));
        return line.toString();
    }

    private static JsonNode valueOf(byte[] value) {
        try {
            JsonNode json = JSON.readTree(value);
            if (json != null && !json.isMissingNode()) {
                return json;
            }
        } catch (IOException e) {
            // not JSON: the text below
        }
        return TextNode.valueOf(new String(value, StandardCharsets.UTF_8));
    }
}
