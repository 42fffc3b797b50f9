package io.kafkabus.cloudstack.bench;

import java.util.Random;
import java.util.UUID;

import org.apache.cloudstack.framework.events.Event;

/**
 * The events every contender publishes: CloudStack ActionEvents of one size, 500 VMs in turn (so
 * 500 keys), each with its own description; about {@code eventBytes} once in the bus's envelope.
 * Descriptions are padded with hexadecimal text, which compresses about as well as CloudStack's
 * UUID-laden JSON (a run of one character would make lz4's job unrealistically easy).
 */
final class Workload {
    private static final String[] VMS = new String[500];
    /** Bytes the envelope adds around the description (measured on these events). */
    private static final int ENVELOPE_BYTES = 410;

    static {
        for (int i = 0; i < VMS.length; i++) {
            VMS[i] = UUID.nameUUIDFromBytes(("vm-" + i).getBytes()).toString();
        }
    }

    private static final int FILLERS = 64;

    private final int eventBytes;
    private final String[] fillers = new String[FILLERS];

    Workload(int eventBytes) {
        this.eventBytes = eventBytes;
        int length = Math.max(0, eventBytes - description(0, VMS[0], "").length() - ENVELOPE_BYTES);
        Random random = new Random(eventBytes);
        for (int f = 0; f < FILLERS; f++) {
            StringBuilder filler = new StringBuilder(length + 32);
            while (filler.length() < length) {
                filler.append(' ').append(Long.toHexString(random.nextLong()));
            }
            fillers[f] = filler.substring(0, length);
        }
    }

    int eventBytes() {
        return eventBytes;
    }

    /** Event {@code i}: VM {@code i % 500} started. */
    Event event(int i) {
        String vm = VMS[i % VMS.length];
        Event e = new Event("management-server", "ActionEvent", "VM.START", "VirtualMachine", vm);
        e.setDescription(description(i, vm, fillers[i % FILLERS]));
        return e;
    }

    private static String description(int i, String vm, String filler) {
        return "{\"user\":\"f484a624-6b93-11e7-81e3-06565200012c\",\"account\":\"f4849ae2-6b93-11e7-81e3-06565200012c\","
                + "\"event\":\"VM.START\",\"status\":\"Completed\",\"entity\":\"com.cloud.vm.VirtualMachine\",\"entityuuid\":\"" + vm + "\","
                + "\"description\":\"Successfully completed starting Vm. Vm Id: " + i + filler + "\",\"eventDateTime\":\"2026-11-22 10:00:00 +0000\","
                + "\"VirtualMachine\":\"" + vm + "\",\"Account\":\"54d5f55c-5311-48db-bbb8-c44c5175cb2a\","
                + "\"Domain\":\"8a90b067-6b93-11e7-81e3-06565200012c\",\"Role\":\"e767a39b-6b93-11e7-81e3-06565200012c\"}";
    }
}
