package io.kafkabus.cloudstack.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.cloudstack.framework.events.Event;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Events as Kafka holds them, in the order they were published, one column per resource: a
 * resource's partition and offsets read down its column. Fails when a resource's events are split
 * over partitions or out of publish order.
 */
final class PublishOrder {
    private static final int CELL = 25;

    private PublishOrder() {
    }

    /** {@code published} are events with an eventUuid (their record id), in publish order. */
    static void print(List<Event> published, ReadBack kafka) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byResource = new LinkedHashMap<>();
        published.forEach(e -> byResource.computeIfAbsent(e.getResourceUUID(), k -> new ArrayList<>()));
        List<String> columns = new ArrayList<>(byResource.keySet());

        StringBuilder header = new StringBuilder("        ");
        columns.forEach(uuid -> header.append(pad(DemoEvents.vmName(uuid) + " " + uuid.substring(0, 8) + "…")));
        System.out.println(header.toString().stripTrailing());
        StringBuilder row = new StringBuilder("        ");
        int lastColumn = -1;
        for (int n = 1; n <= published.size(); n++) {
            Event event = published.get(n - 1);
            ConsumerRecord<byte[], byte[]> record = kafka.recordOf(event.getEventUuid());
            byResource.get(event.getResourceUUID()).add(record);
            int column = columns.indexOf(event.getResourceUUID());
            if (column <= lastColumn) {
                System.out.println(row.toString().stripTrailing());
                row.setLength(8);
            }
            while (row.length() < 8 + column * CELL) {
                row.append(' ');
            }
            row.append(pad(String.format("#%-3d %-10s p%d@%d", n, event.getEventType(), record.partition(), record.offset())));
            lastColumn = column;
        }
        System.out.println(row.toString().stripTrailing());
        byResource.forEach((uuid, records) -> System.out.println("      " + inOrder(uuid, records)));
    }

    /** Checks that one resource's records, in publish order, share a partition and have rising offsets. */
    private static String inOrder(String uuid, List<ConsumerRecord<byte[], byte[]>> records) {
        ConsumerRecord<byte[], byte[]> first = records.get(0);
        for (int i = 1; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            if (record.partition() != first.partition() || record.offset() <= records.get(i - 1).offset()) {
                throw new IllegalStateException(DemoEvents.vmName(uuid) + ": event " + (i + 1) + " of " + records.size()
                        + " is at partition " + record.partition() + " offset " + record.offset() + ", after partition "
                        + records.get(i - 1).partition() + " offset " + records.get(i - 1).offset());
            }
        }
        return String.format("%-9s %d events, all in %s partition %d, offsets %d..%d rising in publish order",
                DemoEvents.vmName(uuid), records.size(), first.topic(), first.partition(), first.offset(),
                records.get(records.size() - 1).offset());
    }

    private static String pad(String text) {
        return String.format("%-" + CELL + "s", text);
    }
}
