package io.kafkabus.cloudstack.testing;

/** Event descriptions shaped as CloudStack writes them (keys from its source; ids and secrets made up). */
public final class SampleDescriptions {
    /** The UI's session key in {@link #vpnUserAdded()}. */
    public static final String SESSION_KEY = "Xk3b9_QmT1uVh0pZ2rL8sYwE4aA";
    /** The VPN user's password in {@link #vpnUserAdded()}. */
    public static final String VPN_PASSWORD = "S3cr3t!Passw0rd";

    private SampleDescriptions() {
    }

    /** An ActionEvent of VM.START in {@code status}, on vm-1. */
    public static String vmStarted(String status) {
        return "{\"user\":\"f484a624-6b93-11e7-81e3-06565200012c\",\"account\":\"f4849ae2-6b93-11e7-81e3-06565200012c\","
                + "\"event\":\"VM.START\",\"status\":\"" + status + "\",\"entity\":\"com.cloud.vm.VirtualMachine\","
                + "\"entityuuid\":\"vm-1\",\"description\":\"starting Vm. Vm Id: 42\",\"eventDateTime\":\"2026-11-22 00:28:22 +0000\"}";
    }

    /** A ResourceStateEvent of vm-1 going from {@code from} to {@code to}. */
    public static String vmState(String from, String to, String status) {
        return "{\"resource\":\"VirtualMachine\",\"id\":\"vm-1\",\"old-state\":\"" + from + "\",\"new-state\":\"" + to
                + "\",\"status\":\"" + status + "\",\"eventDateTime\":\"2026-11-22 00:28:22 +0000\"}";
    }

    /**
     * An AsyncJobEvent's completion of addVpnUser called from the UI: the caller's parameters, the
     * session key and the new user's password included, in {@code cmdInfo}.
     */
    public static String vpnUserAdded() {
        return "{\"command\":\"org.apache.cloudstack.api.command.user.vpn.AddVpnUserCmd\",\"user\":\"f484a624\","
                + "\"account\":\"f4849ae2\",\"processStatus\":\"0\",\"resultCode\":\"0\",\"instanceUuid\":\"a4c2e9b7\","
                + "\"instanceType\":\"None\",\"commandEventType\":\"VPN.USER.ADD\",\"jobId\":\"job-1\","
                + "\"cmdInfo\":{\"response\":\"json\",\"sessionkey\":\"" + SESSION_KEY + "\",\"httpmethod\":\"POST\","
                + "\"username\":\"alice\",\"password\":\"" + VPN_PASSWORD + "\",\"ctxUserId\":\"2\",\"ctxAccountId\":\"2\","
                + "\"ctxDetails\":{\"interface com.cloud.network.RemoteAccessVpn\":\"a4c2e9b7\"}},\"status\":\"SUCCEEDED\"}";
    }
}
