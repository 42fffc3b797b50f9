package io.kafkabus.cloudstack.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.event.EventEnvelope;

class EventFilterTest {
    static EventEnvelope event(String category, String type, String resourceType, String status) {
        String description = status == null ? "{}" : "{\"event\":\"" + type + "\",\"status\":\"" + status + "\"}";
        return EventEnvelope.builder("id", Instant.EPOCH).category(category).type(type).resourceType(resourceType)
                .description(description).build();
    }

    static EventFilter filter(String... keyValues) throws Exception {
        Map<String, String> raw = new HashMap<>(Map.of("bootstrap.servers", "kafka:9092"));
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put(keyValues[i], keyValues[i + 1]);
        }
        return new EventFilter(EventBusConfig.parse(raw, "test", "bus"));
    }

    private static final List<EventEnvelope> EVENTS = List.of(
            event("ActionEvent", "VM.START", "VirtualMachine", "Scheduled"),
            event("ActionEvent", "VM.START", "VirtualMachine", "Started"),
            event("ActionEvent", "VM.START", "VirtualMachine", "Completed"),
            event("ActionEvent", "VOLUME.CREATE", "Volume", "Created"),
            event("AlertEvent", "ALERT.MEMORY", null, null),
            event("ResourceStateEvent", "StartRequested", "VirtualMachine", "preStateTransitionEvent"),
            event("UsageEvent", "VM.CREATE", "com.cloud.vm.UserVmVO", null));

    private static List<String> passing(EventFilter filter) {
        return EVENTS.stream().filter(filter::accepts).map(e -> e.category() + " " + e.type() + " " + e.status())
                .collect(Collectors.toList());
    }

    @Test
    void withoutRulesEveryEventPasses() throws Exception {
        assertEquals(EVENTS.size(), passing(filter()).size());
    }

    @Test
    void onlyCompletedActionEventsPlusEveryAlert() throws Exception {
        EventFilter filter = filter("filter.include", "category=ActionEvent status=Completed, category=AlertEvent");
        assertEquals(List.of("ActionEvent VM.START Completed", "AlertEvent ALERT.MEMORY null"), passing(filter));
    }

    @Test
    void excludeRulesWinOverIncludeRules() throws Exception {
        EventFilter filter = filter("filter.include", "category=ActionEvent", "filter.exclude", "type=VM.* status=S*");
        assertEquals(List.of("ActionEvent VM.START Completed", "ActionEvent VOLUME.CREATE Created"), passing(filter));
    }

    @Test
    void patternsAreExactPrefixOrGlobIgnoringCase() throws Exception {
        assertEquals(2, passing(filter("filter.include", "type=vm.start status=s*")).size(), "exact and prefix, any case");
        assertEquals(List.of("UsageEvent VM.CREATE null"), passing(filter("filter.include", "resourceType=*.UserVm??")));
        assertEquals(List.of("ActionEvent VOLUME.CREATE Created", "UsageEvent VM.CREATE null"),
                passing(filter("filter.include", "type=*.CREATE")), "suffix");
        assertEquals(List.of("ActionEvent VOLUME.CREATE Created"), passing(filter("filter.include", "type=*LUME*")), "contains");
    }

    @Test
    void aMissingFieldMatchesOnlyStar() throws Exception {
        assertEquals(List.of("AlertEvent ALERT.MEMORY null"), passing(filter("filter.include", "category=AlertEvent resourceType=*")));
        assertEquals(List.of(), passing(filter("filter.include", "category=AlertEvent resourceType=?*")));
        assertEquals(EVENTS.size() - 1, passing(filter("filter.exclude", "status=*tarted")).size(), "only Started is excluded");
    }
}
