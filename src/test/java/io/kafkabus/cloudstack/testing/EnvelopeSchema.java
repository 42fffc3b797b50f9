package io.kafkabus.cloudstack.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * Checks record values against the JSON Schemas the jar publishes (src/main/resources/schema), so
 * that the schemas and what the bus writes cannot drift apart: {@link KafkaCluster#consume} runs
 * it on every record a test reads.
 */
public final class EnvelopeSchema {
    /** The schemas' $id prefix, mapped to the class path so that nothing is fetched. */
    private static final String ID_PREFIX = "https://kafkabus.io/schemas/";
    public static final String ENVELOPE = "cloudstack-event-envelope.schema.json";
    public static final String CLOUDEVENT = "cloudstack-event-cloudevent.schema.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaIdResolvers(ids -> ids.mapPrefix(ID_PREFIX, "classpath:schema/")));
    private static final Schema ENVELOPE_SCHEMA = SCHEMAS.getSchema(SchemaLocation.of(ID_PREFIX + ENVELOPE));
    private static final Schema CLOUDEVENT_SCHEMA = SCHEMAS.getSchema(SchemaLocation.of(ID_PREFIX + CLOUDEVENT));

    private EnvelopeSchema() {
    }

    /**
     * Checks {@code value} when it is the bus's JSON: a CloudEvent (has {@code specversion})
     * against the CloudEvent schema, an envelope (has {@code envelopeVersion}) against the
     * envelope schema; anything else (description values, other tests' records) is left alone.
     *
     * @throws AssertionError listing every error
     */
    public static void check(byte[] value) {
        if (value == null || value.length == 0 || value[0] != '{') {
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(value);
        } catch (IOException e) {
            if (new String(value, StandardCharsets.UTF_8).contains("\"envelopeVersion\"")) {
                throw new AssertionError("an envelope that is not JSON: " + e.getMessage(), e);
            }
            return;
        }
        if (json.has("specversion")) {
            check(CLOUDEVENT_SCHEMA, CLOUDEVENT, json);
        } else if (json.has("envelopeVersion")) {
            check(ENVELOPE_SCHEMA, ENVELOPE, json);
        }
    }

    private static void check(Schema schema, String name, JsonNode json) {
        List<Error> errors = schema.validate(json);
        if (!errors.isEmpty()) {
            throw new AssertionError(errors.stream().map(Error::toString)
                    .collect(Collectors.joining("\n  ", "not valid against " + name + ":\n  ", "\nvalue: " + json)));
        }
    }
}
