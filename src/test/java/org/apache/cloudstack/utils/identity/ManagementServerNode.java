package org.apache.cloudstack.utils.identity;

/**
 * Stands in for CloudStack's class of this name (cloud-utils), which the plugin looks up by
 * reflection: tests then see an msid, as the plugin does in a management server. CloudStack's is a
 * MAC address as a long.
 */
public final class ManagementServerNode {
    public static final long TEST_MSID = 32986556793223L;

    private ManagementServerNode() {
    }

    public static long getManagementServerId() {
        return TEST_MSID;
    }
}
