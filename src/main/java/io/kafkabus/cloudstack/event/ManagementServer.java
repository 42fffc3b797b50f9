package io.kafkabus.cloudstack.event;

import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The management server that publishes events: its host name and CloudStack's id of it (msid). Immutable. */
public final class ManagementServer {
    private static final String NODE_CLASS = "org.apache.cloudstack.utils.identity.ManagementServerNode";

    /** Looked up on first use, once: resolving the local host name can take seconds where DNS is slow. */
    private static final class Local {
        static final ManagementServer SERVER = new ManagementServer(hostName(), msid());
    }

    private final String host;
    private final Long id;

    private ManagementServer(String host, Long id) {
        this.host = host;
        this.id = id;
    }

    /** This JVM's server. */
    public static ManagementServer local() {
        return Local.SERVER;
    }

    /** A server of given host name and id (tests, tools). */
    public static ManagementServer of(String host, Long id) {
        return new ManagementServer(host, id);
    }

    public String host() { return host; }
    /** Null when CloudStack's ManagementServerNode is not on the class path (outside a management server). */
    public Long id() { return id; }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "unknown" : env;
        }
    }

    /**
     * CloudStack's own msid, the one its logs and database use, through the plugin's class loader
     * (the server's cloud-utils). Reflection, since the plugin does not compile against cloud-utils.
     */
    private static Long msid() {
        try {
            Class<?> node = Class.forName(NODE_CLASS, true, ManagementServer.class.getClassLoader());
            Method getter = node.getMethod("getManagementServerId");
            Object id = getter.invoke(null);
            return id instanceof Long ? (Long) id : null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }
}
