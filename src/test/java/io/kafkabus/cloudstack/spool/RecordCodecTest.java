package io.kafkabus.cloudstack.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.kafkabus.cloudstack.routing.RoutedRecord;

class RecordCodecTest {
    private static ByteBuffer encoded(RoutedRecord record) {
        ByteBuffer out = ByteBuffer.allocate(RecordCodec.encodedSize(record));
        RecordCodec.encode(record, out);
        assertEquals(out.capacity(), out.position(), "encodedSize is exact");
        return out.flip();
    }

    @Test
    void recordsRoundTrip() {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        headers.put("id", "ä-1".getBytes(StandardCharsets.UTF_8));
        headers.put("empty", new byte[0]);
        RoutedRecord full = new RoutedRecord("tøpic", "key".getBytes(StandardCharsets.UTF_8),
                "{\"v\":1}".getBytes(StandardCharsets.UTF_8), headers, 1_700_000_000_123L);
        RoutedRecord bare = new RoutedRecord("t", null, new byte[0], Map.of(), 0);
        assertEquals(full, RecordCodec.decode(encoded(full)));
        assertEquals(bare, RecordCodec.decode(encoded(bare)));
    }

    @Test
    void anUnknownVersionOrShortBytesAreRefused() {
        RoutedRecord record = DiskSpoolTest.record(1);
        ByteBuffer bytes = encoded(record);
        bytes.put(0, (byte) 2);
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(bytes));
        ByteBuffer shortened = encoded(record);
        shortened.limit(shortened.limit() - 3);
        assertThrows(RuntimeException.class, () -> RecordCodec.decode(shortened));
    }
}
