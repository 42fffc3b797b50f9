package io.kafkabus.cloudstack.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AckTrackerTest {
    private final AckTracker tracker = new AckTracker();

    @Test
    void theWatermarkIsTheOldestRecordNotYetSettled() {
        for (long s = 10; s < 14; s++) {
            tracker.sent(s, 1000 + s);
        }
        assertEquals(10, tracker.watermark());
        assertEquals(10, tracker.settled(12), "a later record settling first moves nothing");
        assertEquals(11, tracker.settled(10));
        assertEquals(13, tracker.settled(11), "12 was settled already");
        assertEquals(14, tracker.settled(13));
        assertTrue(tracker.idle());
    }

    @Test
    void afterAFailureOnlyWhatFailedIsSentAgain() {
        tracker.sent(0, 100);
        tracker.sent(1, 101);
        tracker.sent(2, 102);
        tracker.failed(0, Failure.RESEND, "broken");
        tracker.settled(1);
        tracker.failed(2, Failure.RESEND, "broken");

        assertEquals(0, tracker.watermark(), "the spool keeps everything from the failed record on");
        assertFalse(tracker.isSettled(0));
        assertTrue(tracker.isSettled(1), "delivered: skipped when the sender reads again");
        assertFalse(tracker.isSettled(2));
        assertFalse(tracker.idle());
    }

    @Test
    void onlyFailuresAboutTheRecordCountAsRefusals() {
        tracker.sent(5, 100);
        tracker.failed(5, Failure.TRANSIENT, "broker away");
        tracker.sent(5, 100);
        tracker.failed(5, Failure.RESEND, "batch-mate refused");
        assertEquals(0, tracker.refusals(5));
        assertNull(tracker.lastRefusal(5));
        tracker.sent(5, 100);
        tracker.failed(5, Failure.RECORD, "too large");
        tracker.sent(5, 100);
        tracker.failed(5, Failure.TOPIC, "not authorized");
        assertEquals(2, tracker.refusals(5));
        assertEquals("not authorized", tracker.lastRefusal(5));
    }

    @Test
    void everySendIsAnsweredBeforeTheSenderReadsAgain() throws Exception {
        tracker.sent(0, 100);
        tracker.sent(1, 101);
        tracker.failed(0, Failure.RESEND, "broken");
        assertFalse(tracker.awaitAnswered(10), "record 1 is still with the producer");
        tracker.failed(1, Failure.RESEND, "closed forcefully");
        assertTrue(tracker.awaitAnswered(10));
    }

    @Test
    void theOldestUnsettledRecordsTimeStaysKnownWhileItWaitsToBeResent() {
        assertEquals(-1, tracker.oldestTimestampMs());
        tracker.sent(0, 500);
        tracker.sent(1, 600);
        tracker.failed(0, Failure.TRANSIENT, "broker away");
        assertEquals(500, tracker.oldestTimestampMs());
        tracker.sent(0, 500);
        tracker.settled(0);
        assertEquals(600, tracker.oldestTimestampMs());
        tracker.settled(1);
        assertEquals(-1, tracker.oldestTimestampMs());
    }

    @Test
    void aRecordGivenUpWithoutBeingSentMovesTheWatermarkPastIt() {
        tracker.sent(0, 100);
        assertEquals(1, tracker.settled(0));
        assertEquals(2, tracker.settled(1), "record 1 was set aside unsent (its topic known unwritable)");
        assertTrue(tracker.isSettled(1));
    }
}
