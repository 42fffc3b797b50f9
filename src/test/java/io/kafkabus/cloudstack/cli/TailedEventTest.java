package io.kafkabus.cloudstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.event.EventEnvelope;
import io.kafkabus.cloudstack.routing.RecordRouter;
import io.kafkabus.cloudstack.routing.RoutedRecord;

/** What tail prints of records exactly as the bus makes them, in each value.format, and its filters. */
class TailedEventTest {
    private static final Instant PUBLISHED = Instant.parse("2026-12-02T04:05:06.789Z");

    private static RoutedRecord routed(String valueFormat, String category, String type, String resourceType,
                                       String resourceUuid) throws Exception {
        EventBusConfig config = EventBusConfig.parse(Map.of("bootstrap.servers", "localhost:9", "value.format", valueFormat),
                "test", "test");
        return new RecordRouter(config).route(EventEnvelope.builder("id-7", PUBLISHED).source("management-server")
                .category(category).type(type).resourceType(resourceType).resourceUuid(resourceUuid)
                .description("{\"status\":\"Completed\"}").build());
    }

    private static TailedEvent tailed(RoutedRecord record) {
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        return TailedEvent.of(record.timestampMs(), headers, record.value());
    }

    @Test
    void everyValueFormatGivesTheSameLine() throws Exception {
        String expected = "2026-12-02T04:05:06.789Z ActionEvent        VM.START               VirtualMachine/vm-1 id-7";
        for (String format : new String[] {"envelope", "cloudevents-binary", "cloudevents-structured"}) {
            assertEquals(expected, tailed(routed(format, "ActionEvent", "VM.START", "VirtualMachine", "vm-1")).line(), format);
        }
    }

    @Test
    void theDescriptionFormatShowsWhatTheHeadersCarry() throws Exception {
        assertEquals("2026-12-02T04:05:06.789Z ActionEvent        VM.START               - id-7",
                tailed(routed("description", "ActionEvent", "VM.START", "VirtualMachine", "vm-1")).line());
    }

    @Test
    void whatAnEventLacksIsADash() throws Exception {
        assertEquals("2026-12-02T04:05:06.789Z AlertEvent         ALERT.MEMORY           - id-7",
                tailed(routed("envelope", "AlertEvent", "ALERT.MEMORY", null, null)).line());
    }

    @Test
    void filtersTakeExactValuesAndGlobsInAnyCaseAndTheResourceByTypeOrUuid() throws Exception {
        TailedEvent vmStart = tailed(routed("envelope", "ActionEvent", "VM.START", "VirtualMachine", "6f1b-vm-1"));
        assertTrue(new TailFilter(null, null, null).accepts(vmStart));
        assertTrue(new TailFilter("actionevent", "vm.*", null).accepts(vmStart));
        assertFalse(new TailFilter("AlertEvent", null, null).accepts(vmStart));
        assertFalse(new TailFilter(null, "VOLUME.*", null).accepts(vmStart));
        assertTrue(new TailFilter(null, null, "virtualmachine").accepts(vmStart));
        assertTrue(new TailFilter(null, null, "6f1b-*").accepts(vmStart));
        assertFalse(new TailFilter(null, null, "Volume").accepts(vmStart));
        TailedEvent alert = tailed(routed("envelope", "AlertEvent", "ALERT.MEMORY", null, null));
        assertFalse(new TailFilter(null, null, "vm*").accepts(alert), "no resource matches no resource pattern");
    }
}
