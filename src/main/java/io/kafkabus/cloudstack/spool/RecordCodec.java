package io.kafkabus.cloudstack.spool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.utils.Utils;

import io.kafkabus.cloudstack.routing.RoutedRecord;

/**
 * A {@link RoutedRecord}'s bytes in the spool, all big-endian: version (1) | timestamp | topic |
 * key (length -1 for none) | value | headers. Part of {@link SpoolFormat} 1.
 */
final class RecordCodec {
    static final byte VERSION = 1;

    private RecordCodec() {
    }

    static int encodedSize(RoutedRecord record) {
        ByteBuffer key = record.keyBuffer();
        int[] size = {1 + 8 + 2 + Utils.utf8Length(record.topic()) + 4 + (key == null ? 0 : key.remaining()) + 4
                + record.valueSize() + 2};
        record.forEachHeader((name, value) -> size[0] += 2 + Utils.utf8Length(name) + 4 + value.remaining());
        return size[0];
    }

    /** Writes {@code record} to {@code out}, copying its bytes once, straight from the record's. */
    static void encode(RoutedRecord record, ByteBuffer out) {
        out.put(VERSION);
        out.putLong(record.timestampMs());
        putShortBytes(out, utf8(record.topic()));
        ByteBuffer key = record.keyBuffer();
        if (key == null) {
            out.putInt(-1);
        } else {
            out.putInt(key.remaining()).put(key);
        }
        ByteBuffer value = record.valueBuffer();
        out.putInt(value.remaining()).put(value);
        out.putShort((short) record.headerCount());
        record.forEachHeader((name, bytes) -> {
            putShortBytes(out, utf8(name));
            out.putInt(bytes.remaining()).put(bytes);
        });
    }

    /** @throws RuntimeException (buffer underflow, bad version) on bytes that are not a record */
    static RoutedRecord decode(ByteBuffer in) {
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown spool record version " + version);
        }
        long timestamp = in.getLong();
        String topic = new String(shortBytes(in), StandardCharsets.UTF_8);
        int keyLength = in.getInt();
        byte[] key = keyLength < 0 ? null : bytes(in, keyLength);
        byte[] value = bytes(in, in.getInt());
        int headerCount = in.getShort();
        Map<String, byte[]> headers = new LinkedHashMap<>();
        for (int i = 0; i < headerCount; i++) {
            String name = new String(shortBytes(in), StandardCharsets.UTF_8);
            headers.put(name, bytes(in, in.getInt()));
        }
        return new RoutedRecord(topic, key, value, headers, timestamp);
    }

    private static void putShortBytes(ByteBuffer out, byte[] bytes) {
        out.putShort((short) bytes.length).put(bytes);
    }

    private static byte[] shortBytes(ByteBuffer in) {
        return bytes(in, Short.toUnsignedInt(in.getShort()));
    }

    private static byte[] bytes(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
