package io.kafkabus.cloudstack.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A {@link ProducerFactory} of Kafka {@link MockProducer}s that complete nothing by themselves: the
 * test answers each send, in order, with success or the error of its choice. Closing a producer
 * fails what it still holds, as Kafka's own forced close does. Records answered with success are
 * kept in {@link #delivered()}, in the order Kafka would hold them.
 */
final class ScriptedProducers implements ProducerFactory {
    private final List<ScriptedProducer> created = new ArrayList<>();
    private final List<ProducerRecord<byte[], byte[]>> delivered = new ArrayList<>();
    /** Thrown by the next create() calls, one each, before producers are made again. */
    private final Deque<RuntimeException> createFailures = new ArrayDeque<>();
    /** Given each new producer, returns what its send() throws (null: nothing). */
    private volatile Function<Integer, RuntimeException> sendFailure = n -> null;
    /** While set, send() waits until its producer is closed, as Kafka's does on metadata that never comes. */
    private volatile boolean sendsBlock;
    /** Sends that found their thread interrupted while they waited. */
    private final List<Thread> interruptedSenders = new CopyOnWriteArrayList<>();
    /** Topic to what send() throws for its records, as Kafka does when it waited for the topic's metadata in vain. */
    private final Map<String, RuntimeException> topicFailures = new ConcurrentHashMap<>();

    @Override
    public synchronized Producer<byte[], byte[]> create(Map<String, Object> properties) {
        RuntimeException failure = createFailures.poll();
        if (failure != null) {
            throw failure;
        }
        ScriptedProducer producer = new ScriptedProducer();
        producer.sendException = sendFailure.apply(created.size());
        created.add(producer);
        notifyAll();
        return producer;
    }

    synchronized void failNextCreate(RuntimeException failure) {
        createFailures.add(failure);
    }

    /** Producer number {@code n} (from 0) throws what {@code failure} gives from every send(). */
    void failSends(Function<Integer, RuntimeException> failure) {
        this.sendFailure = failure;
    }

    /** From now on, send() waits until its producer is closed, then fails as Kafka's does then. */
    void blockSends() {
        sendsBlock = true;
    }

    /** Threads that were interrupted inside a blocked send(). */
    List<Thread> interruptedSenders() {
        return interruptedSenders;
    }

    /** Every send to {@code topic} throws {@code failure}. */
    void failSendsTo(String topic, RuntimeException failure) {
        topicFailures.put(topic, failure);
    }

    /**
     * Answers every send as {@code answer} says (null: success; an exception: that failure) until
     * {@code done} holds; {@code whileIdle} runs whenever no send waits (to move a clock, say).
     */
    void answerUntil(Function<ProducerRecord<byte[], byte[]>, RuntimeException> answer, BooleanSupplier done,
                     Runnable whileIdle) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done after 20 s; sent: " + sent().size() + ", delivered: " + delivered().size());
            }
            ScriptedProducer producer = withOutstanding();
            if (producer == null) {
                whileIdle.run();
                synchronized (this) {
                    wait(5);
                }
                continue;
            }
            ProducerRecord<byte[], byte[]> next = producer.nextUnanswered();
            RuntimeException error = next == null ? null : answer.apply(next);
            ProducerRecord<byte[], byte[]> answered = producer.answerNext(error);
            if (error == null && answered != null) {
                synchronized (this) {
                    delivered.add(answered);
                }
            }
        }
    }

    private synchronized ScriptedProducer withOutstanding() {
        for (ScriptedProducer producer : created) {
            if (producer.outstanding() > 0) {
                return producer;
            }
        }
        return null;
    }

    synchronized int producersCreated() {
        return created.size();
    }

    synchronized ScriptedProducer producer(int index) {
        return created.get(index);
    }

    synchronized List<ProducerRecord<byte[], byte[]>> delivered() {
        return new ArrayList<>(delivered);
    }

    /** Every record handed to any producer, in the order of the sends. */
    synchronized List<ProducerRecord<byte[], byte[]>> sent() {
        List<ProducerRecord<byte[], byte[]>> all = new ArrayList<>();
        created.forEach(p -> {
            all.addAll(p.attempted);
            all.addAll(p.history());
        });
        return all;
    }

    private synchronized void sendArrived() {
        notifyAll();
    }

    final class ScriptedProducer extends MockProducer<byte[], byte[]> {
        /** Sends not answered yet, in the order of MockProducer's own completions. */
        private final Deque<ProducerRecord<byte[], byte[]>> unanswered = new ConcurrentLinkedDeque<>();
        /** Sends refused at once because of their topic. */
        private final List<ProducerRecord<byte[], byte[]>> attempted = new CopyOnWriteArrayList<>();
        /** Signalled when the producer is closed. */
        private final Object closing = new Object();
        /** Pairs taking a record off {@link #unanswered} with answering its completion. */
        private final Object answering = new Object();

        ScriptedProducer() {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            if (sendsBlock) {
                waitUntilClosed();
            }
            RuntimeException topicFailure = topicFailures.get(record.topic());
            if (topicFailure != null && !closed()) {
                attempted.add(record);
                throw topicFailure;
            }
            Future<RecordMetadata> future;
            synchronized (answering) {
                future = super.send(record, callback);
                unanswered.add(record);
            }
            sendArrived();
            return future;
        }

        private void waitUntilClosed() {
            synchronized (closing) {
                try {
                    while (!closed()) {
                        closing.wait();
                    }
                } catch (InterruptedException e) {
                    interruptedSenders.add(Thread.currentThread());
                    Thread.currentThread().interrupt();
                }
            }
            throw new KafkaException("Producer closed while send in progress");
        }

        int outstanding() {
            return unanswered.size();
        }

        ProducerRecord<byte[], byte[]> nextUnanswered() {
            return unanswered.peek();
        }

        ProducerRecord<byte[], byte[]> answerNext(RuntimeException error) {
            synchronized (answering) {
                ProducerRecord<byte[], byte[]> record = unanswered.poll();
                errorNext(error);
                return record;
            }
        }

        @Override
        public void close(Duration timeout) {
            super.close(timeout);
            synchronized (closing) {
                closing.notifyAll();
            }
            synchronized (answering) {
                while (!unanswered.isEmpty()) {
                    answerNext(new KafkaException("Producer is closed forcefully."));
                }
            }
        }
    }
}
