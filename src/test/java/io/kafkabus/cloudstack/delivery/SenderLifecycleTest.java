package io.kafkabus.cloudstack.delivery;

import static io.kafkabus.cloudstack.testing.Conditions.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import javax.security.auth.login.LoginException;

import org.apache.logging.log4j.Level;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

import io.kafkabus.cloudstack.testing.LogCapture;

/** The sender thread's life: its name and error handler, its death reported, its end at stop(). */
class SenderLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final ScriptedProducers producers = new ScriptedProducers();

    @Test
    void stopEndsASendWaitingOnKafkaByClosingTheProducerNotByInterruptingTheThread() throws Exception {
        producers.blockSends();
        EventDelivery delivery = EventDelivery.open(InMemoryBuses.config("lifecycle", "stop.timeout.ms", "300"), "stopping",
                producers, Time.SYSTEM);
        delivery.start();
        delivery.accept(List.of(KafkaSenderTest.record("events", "vm-1", 0)));
        await(() -> producers.producersCreated() == 1, WAIT, "a producer made");

        long started = System.nanoTime();
        delivery.stop();
        long stoppedMs = (System.nanoTime() - started) / 1_000_000;

        assertTrue(producers.producer(0).closed(), "the producer was closed, which ends its blocked send");
        assertEquals(List.of(), producers.interruptedSenders(), "no thread was interrupted inside the producer");
        assertFalse(senderThreadAlive("stopping"), "the sender thread ended");
        assertEquals(1, delivery.statistics().pending(), "the event stays in the spool for the next start");
        assertTrue(stoppedMs < WAIT.toMillis(), "stop() took " + stoppedMs + " ms");
    }

    @Test
    void stopGivesAProducerJustMadeItsMaxBlockMsToConnectBeforeCallingKafkaAway() throws Exception {
        // A producer made a moment before stop() has no connection yet; under load its first one can take a while.
        EventDelivery delivery = EventDelivery.open(InMemoryBuses.config("lifecycle", "stop.timeout.ms", "10000", "max.block.ms", "4000"),
                "young", producers, Time.SYSTEM);
        delivery.start();
        delivery.accept(List.of(KafkaSenderTest.record("events", "vm-1", 0)));
        await(() -> producers.sent().size() == 1, WAIT, "the event handed to the producer");

        Thread stopping = new Thread(delivery::stop, "test-stop");
        stopping.start();
        stopping.join(KafkaSender.STOP_STALL_MS + 500);
        assertTrue(stopping.isAlive(), "stop() still waits: the producer is younger than max.block.ms");

        producers.answerUntil(r -> null, () -> !stopping.isAlive(), () -> { });
        assertEquals(1, delivery.statistics().delivered(), "Kafka's late answer was waited for");
        assertEquals(0, delivery.statistics().pending());
    }

    @Test
    void stopMakesNoNewProducerOnceOneCouldNotBeMade() throws Exception {
        // Making a producer fails slowly, as an OAuth login does while its token endpoint is down (its retries, 10 s).
        AtomicInteger attempts = new AtomicInteger();
        Semaphore attemptMayEnd = new Semaphore(0);
        ProducerFactory loginFails = properties -> {
            attempts.incrementAndGet();
            attemptMayEnd.acquireUninterruptibly();
            throw new KafkaException("Failed to construct kafka producer", new LoginException("token endpoint down (simulated)"));
        };
        EventDelivery delivery = EventDelivery.open(InMemoryBuses.config("lifecycle", "stop.timeout.ms", "2000"), "noLogin",
                loginFails, Time.SYSTEM);
        try (LogCapture log = LogCapture.attach(Level.ERROR, "io.kafkabus.cloudstack")) {
            delivery.start();
            delivery.accept(List.of(KafkaSenderTest.record("events", "vm-1", 0)));
            await(() -> attempts.get() == 1, WAIT, "a producer being made");

            Thread stopping = new Thread(delivery::stop, "test-stop");
            stopping.start();
            await(() -> stopping.getState() == Thread.State.TIMED_WAITING, WAIT, "stop() waiting for the sender");
            attemptMayEnd.release();
            stopping.join(WAIT.toMillis());

            assertFalse(stopping.isAlive(), "stop() returned");
            assertEquals(1, attempts.get(), "no producer made after the failed one while stopping");
            assertFalse(senderThreadAlive("noLogin"), "the sender thread ended");
            assertEquals(List.of(), log.messages(), "no 'the sender thread did not end'");
            assertEquals(1, delivery.statistics().pending(), "the event stays in the spool for the next start");
        } finally {
            attemptMayEnd.release(100);
        }
    }

    @Test
    void theSenderThreadIsNamedAndItsDeathIsLoggedAndReported() throws Exception {
        CountDownLatch mayDie = new CountDownLatch(1);
        ProducerFactory dying = properties -> {
            try {
                mayDie.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new OutOfMemoryError("Java heap space (simulated)");
        };
        try (LogCapture log = LogCapture.attach(Level.ERROR, "io.kafkabus.cloudstack")) {
            EventDelivery delivery = EventDelivery.open(InMemoryBuses.config("lifecycle", "stop.timeout.ms", "10000"), "dying",
                    dying, Time.SYSTEM);
            delivery.start();
            delivery.accept(List.of(KafkaSenderTest.record("events", "vm-1", 0)));
            Thread sender = senderThread("dying");
            assertNotNull(sender, "a thread named kafka-event-bus-sender-dying");
            assertTrue(sender.getUncaughtExceptionHandler() != sender.getThreadGroup(),
                    "it has an uncaught-exception handler of its own");
            mayDie.countDown();
            await(() -> !delivery.statistics().senderRunning(), WAIT, "the sender reported dead");

            assertTrue(delivery.statistics().toString().contains("sender=dead"), delivery.statistics().toString());
            assertTrue(log.events.stream().anyMatch(e -> e.getMessage().getFormattedMessage().contains(
                    "the sender thread kafka-event-bus-sender-dying died") && e.getThrown() instanceof OutOfMemoryError),
                    "logged with its stack trace: " + log.messages());
            delivery.accept(List.of(KafkaSenderTest.record("events", "vm-1", 1)));
            assertTrue(log.messages().stream().anyMatch(m -> m.contains("the sender thread has died; events are kept in the spool")),
                    "publishing says so too: " + log.messages());
            assertEquals(2, delivery.statistics().pending());
            delivery.stop();
        }
    }

    private static Thread senderThread(String busName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("kafka-event-bus-sender-" + busName)).findFirst().orElse(null);
    }

    private static boolean senderThreadAlive(String busName) {
        Thread thread = senderThread(busName);
        return thread != null && thread.isAlive();
    }
}
