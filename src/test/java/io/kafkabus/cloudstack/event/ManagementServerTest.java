package io.kafkabus.cloudstack.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.cloudstack.utils.identity.ManagementServerNode;
import org.junit.jupiter.api.Test;

class ManagementServerTest {
    @Test
    void theLocalServerHasAHostNameAndCloudStacksMsidLookedUpOnce() {
        ManagementServer local = ManagementServer.local();
        assertFalse(local.host().isBlank());
        assertEquals(ManagementServerNode.TEST_MSID, local.id(), "read from (the test's stand-in for) ManagementServerNode");
        assertSame(local, ManagementServer.local());
    }

    @Test
    void aGivenServerKeepsItsValues() {
        ManagementServer server = ManagementServer.of("ms-2", null);
        assertEquals("ms-2", server.host());
        assertNull(server.id());
    }
}
