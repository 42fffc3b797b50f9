package io.kafkabus.cloudstack.spool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PendingSizesTest {
    @Test
    void countsWhatIsNotAcknowledgedAcrossGrowthAndWrapping() {
        PendingSizes sizes = new PendingSizes(100);
        long expected = 0;
        long acknowledged = 100;
        for (long sequence = 100; sequence < 1100; sequence++) {
            sizes.add(sequence, (int) sequence);
            expected += sequence;
            if (sequence % 3 == 0) {
                for (; acknowledged < sequence - 50; acknowledged++) {
                    expected -= acknowledged;
                }
                sizes.acknowledgeBefore(acknowledged);
            }
            assertEquals(expected, sizes.bytes());
        }
        sizes.acknowledgeBefore(1100);
        assertEquals(0, sizes.bytes());
        assertEquals(0, sizes.count());
    }

    @Test
    void gapsCountZeroAndOldOrRepeatedRecordsAreIgnored() {
        PendingSizes sizes = new PendingSizes(10);
        sizes.add(5, 1000); // acknowledged already
        sizes.add(10, 1);
        sizes.add(13, 2); // 11 and 12 damaged
        sizes.add(13, 50);
        assertEquals(3, sizes.bytes());
        assertEquals(4, sizes.count());
        sizes.acknowledgeBefore(12);
        assertEquals(2, sizes.bytes());
        sizes.acknowledgeBefore(20); // beyond the last: records up to it are gone
        sizes.add(19, 7);
        assertEquals(0, sizes.bytes());
        sizes.add(20, 8);
        assertEquals(8, sizes.bytes());
    }
}
