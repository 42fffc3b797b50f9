package io.kafkabus.cloudstack.event;

/** STUB until the desc branch lands. */
public final class ManagementServer {
    public static ManagementServer local() {
        return new ManagementServer();
    }
}
