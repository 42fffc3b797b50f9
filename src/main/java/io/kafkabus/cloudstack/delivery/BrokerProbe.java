package io.kafkabus.cloudstack.delivery;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.common.utils.Utils;

/**
 * Finds out why no broker answers: resolves each address of {@code bootstrap.servers} and opens a
 * TCP connection to it, so the operator reads "connection refused" or "unknown host" instead of the
 * producer's "not present in metadata". Runs on the sender thread (and in the command line's
 * {@code check}), each address bounded by the timeout.
 */
public final class BrokerProbe {
    public static final String UNKNOWN_HOST = "(unknown host)";
    private final List<String> addresses;
    private final int timeoutMs;

    /** @param bootstrapServers the producer's bootstrap.servers, each a host:port (the configuration checked that) */
    public BrokerProbe(List<String> bootstrapServers, Duration timeout) {
        this.addresses = bootstrapServers.stream().filter(address -> !address.isEmpty()).collect(Collectors.toList());
        this.timeoutMs = (int) timeout.toMillis();
    }

    /** What one address gave. */
    public static final class Outcome {
        public final String address;
        public final boolean reachable;
        public final String result;

        Outcome(String address, boolean reachable, String result) {
            this.address = address;
            this.reachable = reachable;
            this.result = result;
        }

        @Override
        public String toString() {
            return address + " " + result;
        }
    }

    /** One outcome per address, in the order bootstrap.servers lists them. */
    public List<Outcome> probe() {
        List<Outcome> outcomes = new ArrayList<>();
        for (String address : addresses) {
            outcomes.add(probe(address));
        }
        return outcomes;
    }

    private Outcome probe(String address) {
        String host = Utils.getHost(address);
        int port = Utils.getPort(address);
        InetAddress resolved;
        try {
            resolved = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return new Outcome(address, false, UNKNOWN_HOST);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(resolved, port), timeoutMs);
            return new Outcome(address, true, "(accepts connections)");
        } catch (ConnectException e) {
            return new Outcome(address, false, "(connection refused)");
        } catch (SocketTimeoutException e) {
            return new Outcome(address, false, "(no answer within " + timeoutMs + " ms)");
        } catch (IOException e) {
            return new Outcome(address, false, "(" + e.getMessage() + ")");
        }
    }
}
