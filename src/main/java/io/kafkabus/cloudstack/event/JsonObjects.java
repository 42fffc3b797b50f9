package io.kafkabus.cloudstack.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

/**
 * Writes one JSON object as UTF-8 bytes with Jackson's generator, its last field's value optionally
 * JSON bytes already made (a description, an envelope) copied in as they are, not parsed again.
 */
public final class JsonObjects {
    /** Writes fields into an object the caller neither opens nor closes. */
    @FunctionalInterface
    public interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    /** No auto-close: an object left open stays open, so that raw bytes can end it. */
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_CONTENT).build();

    private JsonObjects() {
    }

    /** {@code {fields}}. */
    public static byte[] object(Fields fields, int sizeHint) {
        ByteArrayBuilder out = new ByteArrayBuilder(sizeHint);
        write(out, json -> {
            fields.write(json);
            json.writeEndObject();
        });
        return out.toByteArray();
    }

    /** What goes between the other fields and the last field's value: {@code ,"name":}. Made once per name. */
    public static byte[] lastField(String name) {
        return (",\"" + name + "\":").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code {fields,"name":rawValue}}.
     *
     * @param fields    writes at least one field
     * @param lastField {@link #lastField}'s bytes for the name
     * @param rawValue  one JSON value, UTF-8, checked by whoever made it
     */
    public static byte[] objectEndingWith(Fields fields, byte[] lastField, byte[] rawValue) {
        ByteArrayBuilder out = new ByteArrayBuilder(384 + rawValue.length);
        write(out, fields);
        out.write(lastField);
        out.write(rawValue);
        out.write('}');
        return out.toByteArray();
    }

    private static void write(ByteArrayBuilder out, Fields fields) {
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            fields.write(json);
        } catch (IOException e) {
            // Writing to a byte array does not fail; Jackson declares it anyway.
            throw new UncheckedIOException(e);
        }
    }
}
