package io.kafkabus.cloudstack.subscription;

import java.io.IOException;

import org.apache.cloudstack.framework.events.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A record value the bus wrote, envelope JSON or a CloudEvent holding it (binary mode: the value
 * is the envelope; structured mode: the envelope is its {@code data}), turned back into the
 * CloudStack event it came from: source, category, type, resource type and UUID, description.
 * The 4.20-only fields are left out: their setters do not exist on older servers.
 */
final class RecordEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordEvents() {
    }

    /** @throws IOException saying why the value is not an event of the bus */
    static Event event(byte[] value) throws IOException {
        if (value == null) {
            throw new IOException("no value");
        }
        JsonNode root = JSON.readTree(value);
        if (root != null && root.path("specversion").isTextual() && root.path("data").isObject()) {
            root = root.get("data");
        }
        if (root == null || !root.isObject() || !root.path("category").isTextual() || !root.path("type").isTextual()) {
            throw new IOException("not a JSON object with a category and a type");
        }
        Event event = new Event(text(root, "source"), text(root, "category"), text(root, "type"), text(root, "resourceType"),
                text(root, "resourceUuid"));
        JsonNode description = root.get("description");
        if (description != null && !description.isNull()) {
            event.setDescription(description.isTextual() ? description.textValue() : description.toString());
        }
        return event;
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
