package io.kafkabus.cloudstack.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class MemorySpoolTest {
    @Test
    void keepsOrderRewindsAndFreesWhatIsAcknowledged() throws Exception {
        MemorySpool spool = new MemorySpool(1 << 20);
        for (int i = 0; i < 10; i++) {
            spool.append(DiskSpoolTest.record(i));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(i, spool.poll(Duration.ZERO).sequence());
        }
        assertNull(spool.poll(Duration.ofMillis(10)));
        spool.acknowledgeBefore(4);
        spool.rewind();
        assertEquals(4, spool.poll(Duration.ZERO).sequence());
        assertEquals(6, spool.pendingRecords());
        spool.acknowledgeBefore(10);
        assertEquals(0, spool.sizeBytes());
    }

    @Test
    void refusesRecordsBeyondItsBound() throws Exception {
        MemorySpool spool = new MemorySpool(1000);
        spool.append(DiskSpoolTest.record(0));
        spool.append(DiskSpoolTest.record(1));
        spool.append(DiskSpoolTest.record(2));
        assertThrows(SpoolFullException.class, () -> spool.append(DiskSpoolTest.record(3)));
        assertEquals(3, spool.pendingRecords());
    }
}
