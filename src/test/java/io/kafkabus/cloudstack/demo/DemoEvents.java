package io.kafkabus.cloudstack.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.cloudstack.framework.events.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The events the demo publishes, built as CloudStack builds them. */
final class DemoEvents {
    private static final String SOURCE = "management-server";
    private static final DateTimeFormatter CLOUDSTACK_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "f484a624-6b93-11e7-81e3-06565200012c";
    private static final String ACCOUNT = "f4849ae2-6b93-11e7-81e3-06565200012c";
    private static final String DOMAIN = "8a90b067-6b93-11e7-81e3-06565200012c";

    /**
     * The VMs of the outage, the first one also the VM started before it. With 3 partitions their
     * UUIDs hash to partitions 0, 1, 2 and 1: two VMs share a partition, none spans two.
     */
    static final List<Vm> VMS = List.of(
            new Vm("web-01", "6f1b8f0e-3c2a-4d6e-9a51-2f8e0c7d9b14"),
            new Vm("web-02", "a3d5c7e9-1b2f-4a6c-8d0e-2f4a6c8e0b13"),
            new Vm("db-01", "21c052b1-5cb4-43e4-8596-b824f7333e17"),
            new Vm("cache-01", "2071db9b-952f-4da1-829c-1a9bc6f3abef"));
    /** What each VM goes through, over and over: the action event's type and its description's verb. */
    private static final List<Action> VM_ACTIONS = List.of(new Action("VM.STOP", "stopping"),
            new Action("VM.START", "starting"), new Action("VM.REBOOT", "rebooting"), new Action("VM.MIGRATE", "migrating"));
    /** Database ids of the outage's events start here: above the 4.20 event published before it. */
    private static final long FIRST_OUTAGE_EVENT_ID = 5001;

    private DemoEvents() {
    }

    /** A VM: its name, and its UUID, the key of its events' records. */
    record Vm(String name, String uuid) {
    }

    private record Action(String type, String verb) {
    }

    /** An event to publish, and what it shows. */
    record DemoEvent(String label, Event event) {
    }

    /**
     * The three recorded ActionEvents, then a VM start as CloudStack reports it (async job, state
     * machine, action event with the 4.20 fields, usage), and an alert, which has no resource.
     */
    static List<DemoEvent> events(Path projectDir) throws IOException {
        List<DemoEvent> events = new ArrayList<>();
        int n = 0;
        for (String line : seedEvents(projectDir)) {
            JsonNode seed = JSON.readTree(line);
            String entity = seed.path("entity").asText("");
            Event e = new Event(SOURCE, "ActionEvent", seed.path("event").asText(),
                    entity.substring(entity.lastIndexOf('.') + 1), seed.path("entityuuid").asText(null));
            e.setDescription(line);
            events.add(new DemoEvent("(recorded, fixture " + ++n + ")", e));
        }

        String now = ZonedDateTime.now().format(CLOUDSTACK_TIME);
        String vm = VMS.get(0).uuid();
        String zone = "c4b4a1f2-90a4-4b43-8d1b-5d0c2e6f7a31";
        String job = "0b6c8a52-8f1e-4f0a-b8a4-3d2e7c9f1a60";
        String command = "org.apache.cloudstack.api.command.user.vm.StartVMCmd";
        // Called from the UI: its session key is among the parameters, and the bus redacts it.
        Map<String, Object> cmdInfo = map("id", vm, "response", "json", "sessionkey", "Xk3b9_QmT1uVh0pZ2rL8sYwE4aA", "httpmethod", "GET",
                "ctxUserId", "2", "ctxAccountId", "2", "ctxDetails", "{\"interface com.cloud.vm.VirtualMachine\":\"" + vm + "\"}");

        events.add(new DemoEvent("(job submitted)", event("AsyncJobEvent", "submit", "VirtualMachine", vm,
                map("command", command, "user", USER, "account", ACCOUNT, "processStatus", "0", "resultCode", "0",
                        "instanceUuid", vm, "instanceType", "VirtualMachine", "commandEventType", "VM.START",
                        "jobId", job, "cmdInfo", cmdInfo, "status", "IN_PROGRESS"))));
        events.add(new DemoEvent("(pre-transition)", event("ResourceStateEvent", "StartRequested", "VirtualMachine", vm,
                map("resource", "VirtualMachine", "id", vm, "old-state", "Stopped", "new-state", "Starting",
                        "status", "preStateTransitionEvent", "eventDateTime", now))));
        events.add(new DemoEvent("(post-transition)", event("ResourceStateEvent", "OperationSucceeded", "VirtualMachine", vm,
                map("resource", "VirtualMachine", "id", vm, "old-state", "Starting", "new-state", "Running",
                        "status", "postStateTransitionEvent", "eventDateTime", now))));

        Event started = vmAction("VM.START", vm, "Successfully completed starting Vm. Vm Id: 42", now);
        // CloudStack 4.20+ also sets these; the bus reads them when present.
        started.setEventId(4242L);
        started.setEventUuid("9d5e2c31-7b8a-4f6d-a1e0-c3b2d4f5e6a7");
        started.setResourceAccountId(2L);
        started.setResourceAccountUuid(ACCOUNT);
        started.setResourceDomainId(1L);
        events.add(new DemoEvent("(4.20+, with eventUuid)", started));

        events.add(new DemoEvent("(job completed)", event("AsyncJobEvent", "complete", "VirtualMachine", vm,
                map("command", command, "user", USER, "account", ACCOUNT, "processStatus", "0", "resultCode", "0",
                        "instanceUuid", vm, "instanceType", "VirtualMachine", "commandEventType", "VM.START",
                        "jobId", job, "jobResult", map("virtualmachine", map("id", vm, "name", VMS.get(0).name(), "state", "Running")),
                        "cmdInfo", cmdInfo, "status", "SUCCEEDED"))));
        String volume = "3e9d7a10-55c4-4c1b-9f0e-8a6b2d4c1e07";
        events.add(new DemoEvent("(resource type: a class)", event("UsageEvent", "VOLUME.CREATE", "com.cloud.storage.Volume", volume,
                map("account", ACCOUNT, "zone", zone, "event", "VOLUME.CREATE", "resource", "Volume", "id", volume,
                        "eventDateTime", now))));
        events.add(new DemoEvent("(no resource)", event("AlertEvent", "ALERT.MEMORY", null, null,
                map("event", "ALERT.MEMORY", "dataCenterId", zone, "podId", "7a0e6c4b-2d1f-4e8a-9b3c-5f6d7e8a9b0c",
                        "subject", "System Alert: Low Available Memory in cluster cluster-1 pod pod-1 of availability zone zone-1",
                        "body", "Available memory is below the 85% threshold: 7.5 GB of 64 GB free",
                        "eventDateTime", now))));
        return events;
    }

    /**
     * {@code count} action events of the {@link #VMS} in turn, as a 4.20+ server sends them: each
     * has an eventUuid, which the bus makes the record's id, so the demo finds each one in Kafka.
     */
    static List<Event> vmActions(int count) {
        String now = ZonedDateTime.now().format(CLOUDSTACK_TIME);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Vm vm = VMS.get(i % VMS.size());
            Action action = VM_ACTIONS.get(i / VMS.size() % VM_ACTIONS.size());
            Event e = vmAction(action.type(), vm.uuid(), "Successfully completed " + action.verb() + " Vm. Vm name: " + vm.name(), now);
            e.setEventId(FIRST_OUTAGE_EVENT_ID + i);
            e.setEventUuid(UUID.randomUUID().toString());
            e.setResourceAccountUuid(ACCOUNT);
            events.add(e);
        }
        return events;
    }

    /** The name of the VM whose UUID is {@code uuid}. */
    static String vmName(String uuid) {
        return VMS.stream().filter(vm -> vm.uuid().equals(uuid)).map(Vm::name).findFirst().orElse(uuid);
    }

    /** The recorded events: shared/fixtures beside the project when there, else the test resources' copy. */
    static List<String> seedEvents(Path projectDir) throws IOException {
        Path shared = projectDir.resolve("../shared/fixtures/seed-events.json").normalize();
        String text;
        if (Files.isRegularFile(shared)) {
            text = Files.readString(shared);
        } else {
            try (InputStream in = DemoEvents.class.getClassLoader().getResourceAsStream("fixtures/seed-events.json")) {
                if (in == null) {
                    throw new IllegalStateException("no seed events: neither " + shared
                            + " nor classpath:fixtures/seed-events.json (src/test/resources) exists");
                }
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return text.lines().map(String::trim).filter(l -> !l.isEmpty()).collect(Collectors.toList());
    }

    /** A VM's action event, described as CloudStack describes it. */
    private static Event vmAction(String type, String vmUuid, String text, String now) {
        return event("ActionEvent", type, "VirtualMachine", vmUuid,
                map("user", USER, "account", ACCOUNT, "event", type, "status", "Completed",
                        "entity", "com.cloud.vm.VirtualMachine", "entityuuid", vmUuid, "description", text,
                        "eventDateTime", now, "VirtualMachine", vmUuid, "Account", ACCOUNT, "Domain", DOMAIN));
    }

    private static Event event(String category, String type, String resourceType, String resourceUuid, Map<String, Object> description) {
        Event e = new Event(SOURCE, category, type, resourceType, resourceUuid);
        try {
            // CloudStack stores Gson's JSON of a map; Jackson writes the same text for these values.
            e.setDescription(JSON.writeValueAsString(description));
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return e;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
