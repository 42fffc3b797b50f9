package io.kafkabus.cloudstack.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Local ports for tests of a Kafka that is not there. */
public final class Ports {
    private Ports() {
    }

    /** A port nothing listens on: bound, then released, so connecting to it is refused. */
    public static int closed() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
