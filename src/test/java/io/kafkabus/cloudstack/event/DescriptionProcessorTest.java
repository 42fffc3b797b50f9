package io.kafkabus.cloudstack.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class DescriptionProcessorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SESSION_KEY = "Xk3b9_QmT1uVh0pZ2rL8sYwE4aA";
    private static final String PASSWORD = "S3cr3t!Passw0rd";

    private static final DescriptionProcessor REDACTING = new DescriptionProcessor(true, List.of(), List.of());

    /** cmdInfo of an addVpnUser job from the UI, as ApiServer stores it: a flat map, ctxDetails JSON text in it. */
    static ObjectNode addVpnUserCmdInfo() {
        ObjectNode cmdInfo = JSON.createObjectNode()
                .put("response", "json").put("sessionkey", SESSION_KEY).put("httpmethod", "POST")
                .put("username", "alice").put("password", PASSWORD)
                .put("id", "17").put("uuid", "a4c2e9b7-1d3f-4a5b-8c6d-7e8f9a0b1c2d")
                .put("ctxUserId", "2").put("ctxAccountId", "2").put("ctxStartEventId", "1302").put("cmdEventType", "VPN.USER.ADD");
        cmdInfo.put("ctxDetails", "{\"interface com.cloud.network.RemoteAccessVpn\":\"a4c2e9b7-1d3f-4a5b-8c6d-7e8f9a0b1c2d\"}");
        return cmdInfo;
    }

    /** An AsyncJobEvent description as ApiServer.handleAsyncJobPublishEvent builds it, cmdInfo given as is. */
    static String asyncJobDescription(JsonNode cmdInfo) {
        ObjectNode description = JSON.createObjectNode()
                .put("command", "org.apache.cloudstack.api.command.user.vpn.AddVpnUserCmd")
                .put("user", "f484a624-6b93-11e7-81e3-06565200012c").put("account", "f4849ae2-6b93-11e7-81e3-06565200012c")
                .put("processStatus", "0").put("resultCode", "0")
                .put("instanceUuid", "a4c2e9b7-1d3f-4a5b-8c6d-7e8f9a0b1c2d").put("instanceType", "VpnUser")
                .put("commandEventType", "VPN.USER.ADD").put("jobId", "0d6a5b1c-2e3f-4a5b-9c8d-7e6f5a4b3c2d");
        description.putObject("jobResult").put("class", "org.apache.cloudstack.api.response.VpnUsersResponse")
                .put("object", "vpnuser").put("username", "alice").put("state", "Active");
        description.set("cmdInfo", cmdInfo);
        description.put("status", "SUCCEEDED");
        return description.toString();
    }

    /** Current releases: cmdInfo a nested object, ctxDetails re-parsed into an object. */
    static String currentAsyncJob() {
        ObjectNode cmdInfo = addVpnUserCmdInfo();
        cmdInfo.putObject("ctxDetails").put("interface com.cloud.network.RemoteAccessVpn", "a4c2e9b7-1d3f-4a5b-8c6d-7e8f9a0b1c2d");
        return asyncJobDescription(cmdInfo);
    }

    /** Older releases: cmdInfo JSON text in a string, with ctxDetails JSON text inside that. */
    static String olderAsyncJob() {
        return asyncJobDescription(JSON.getNodeFactory().textNode(addVpnUserCmdInfo().toString()));
    }

    private static String textOf(Description description) {
        return new String(description.jsonObject(), StandardCharsets.UTF_8);
    }

    private static void assertNoSecret(Description description) {
        assertFalse(description.text().contains(SESSION_KEY) || description.text().contains(PASSWORD), description.text());
        assertFalse(textOf(description).contains(SESSION_KEY) || textOf(description).contains(PASSWORD), textOf(description));
    }

    @Test
    void aCurrentAsyncJobLosesItsSessionKeyAndPasswordAndKeepsTheRest() throws Exception {
        Description description = REDACTING.process(currentAsyncJob());
        assertNoSecret(description);
        JsonNode json = JSON.readTree(description.jsonObject());
        assertEquals("[redacted]", json.at("/cmdInfo/sessionkey").asText());
        assertEquals("[redacted]", json.at("/cmdInfo/password").asText());
        assertEquals("alice", json.at("/cmdInfo/username").asText());
        assertEquals("a4c2e9b7-1d3f-4a5b-8c6d-7e8f9a0b1c2d", json.at("/cmdInfo/ctxDetails/interface com.cloud.network.RemoteAccessVpn").asText());
        assertEquals(JSON.readTree(description.text()), json, "text and bytes say the same");
        assertEquals("SUCCEEDED", description.status());
    }

    @Test
    void anOlderAsyncJobLosesItsSecretsInsideJsonHeldInStrings() throws Exception {
        Description description = REDACTING.process(olderAsyncJob());
        assertNoSecret(description);
        JsonNode json = JSON.readTree(description.jsonObject());
        assertTrue(json.get("cmdInfo").isTextual(), "still a string: nothing asked to expand it");
        JsonNode cmdInfo = JSON.readTree(json.get("cmdInfo").asText());
        assertEquals("[redacted]", cmdInfo.get("sessionkey").asText());
        assertEquals("[redacted]", cmdInfo.get("password").asText());
        assertEquals("{\"interface com.cloud.network.RemoteAccessVpn\":\"a4c2e9b7-1d3f-4a5b-8c6d-7e8f9a0b1c2d\"}",
                cmdInfo.get("ctxDetails").asText(), "nothing to take out of ctxDetails: kept as it was");
    }

    @Test
    void secretsInCtxDetailsTextAreRedactedToo() throws Exception {
        ObjectNode cmdInfo = addVpnUserCmdInfo();
        cmdInfo.put("ctxDetails", "{\"apiKey\":\"AKIAEXAMPLE\",\"nested\":[{\"Private_Key\":{\"pem\":\"AKIAEXAMPLE\"}}]}");
        Description description = REDACTING.process(asyncJobDescription(JSON.getNodeFactory().textNode(cmdInfo.toString())));
        assertFalse(description.text().contains("AKIAEXAMPLE"), description.text());
        JsonNode ctxDetails = JSON.readTree(JSON.readTree(JSON.readTree(description.text()).get("cmdInfo").asText()).get("ctxDetails").asText());
        assertEquals("[redacted]", ctxDetails.get("apiKey").asText());
        assertEquals("[redacted]", ctxDetails.at("/nested/0/Private_Key").asText(), "an object value replaced whole");
    }

    @Test
    void namesMatchIgnoringCaseAndSeparatorsAndByContainingADenyWord() throws Exception {
        String raw = "{\"API-Key\":1,\"user.Password\":[1,2],\"x_session_key\":{\"a\":1},\"oauth_token_expiry\":true,"
                + "\"userdata\":null,\"keep\":\"me\",\"tokenizer\":\"gone\",\"passwd\":\"p\"}";
        JsonNode json = JSON.readTree(REDACTING.process(raw).jsonObject());
        for (String name : List.of("API-Key", "user.Password", "x_session_key", "oauth_token_expiry", "userdata", "tokenizer", "passwd")) {
            assertEquals("[redacted]", json.get(name).asText(), name);
        }
        assertEquals("me", json.get("keep").asText());
    }

    @Test
    void extraNamesAreMatchedTheSameWay() throws Exception {
        DescriptionProcessor processor = new DescriptionProcessor(true, List.of("IP_Address", "mac-address"), List.of());
        String raw = "{\"ipaddress\":\"10.1.1.1\",\"nic\":{\"macAddress\":\"02:00:4c\",\"publicIpAddress\":\"1.2.3.4\"},\"name\":\"web\"}";
        JsonNode json = JSON.readTree(processor.process(raw).jsonObject());
        assertEquals("[redacted]", json.get("ipaddress").asText());
        assertEquals("[redacted]", json.at("/nic/macAddress").asText());
        assertEquals("[redacted]", json.at("/nic/publicIpAddress").asText());
        assertEquals("web", json.get("name").asText());
    }

    @Test
    void withRedactionOffSecretsStayAndTheBytesAreKept() {
        String raw = olderAsyncJob();
        Description description = new DescriptionProcessor(false, List.of("username"), List.of()).process(raw);
        assertSame(raw, description.text());
        assertArrayEquals(raw.getBytes(StandardCharsets.UTF_8), description.jsonObject());
        assertTrue(description.text().contains(PASSWORD));
        assertTrue(Description.unprocessed(raw).text().contains(SESSION_KEY), "unprocessed redacts nothing");
    }

    @Test
    void expandedFieldsAreWrittenAsTheJsonTheyHold() throws Exception {
        ObjectNode job = (ObjectNode) JSON.readTree(olderAsyncJob());
        job.put("jobResult", "{\"class\":\"VpnUsersResponse\",\"count\":12345678901234567890}");
        DescriptionProcessor processor = new DescriptionProcessor(true, List.of(), List.of("cmdInfo", "jobResult", "ctxDetails"));
        Description description = processor.process(job.toString());
        assertNoSecret(description);
        JsonNode json = JSON.readTree(description.jsonObject());
        assertTrue(json.get("cmdInfo").isObject(), description.text());
        assertEquals("[redacted]", json.at("/cmdInfo/sessionkey").asText());
        assertEquals("a4c2e9b7-1d3f-4a5b-8c6d-7e8f9a0b1c2d", json.at("/cmdInfo/ctxDetails/interface com.cloud.network.RemoteAccessVpn").asText(),
                "expanded at any depth, inside expanded JSON too");
        assertTrue(description.text().contains("\"jobResult\":{\"class\":\"VpnUsersResponse\",\"count\":12345678901234567890}"),
                "numbers copied as text: " + description.text());
    }

    @Test
    void expansionWithoutRedactionAndOnlyOfNamedFields() throws Exception {
        String raw = "{\"cmdInfo\":\"{\\\"sessionkey\\\":\\\"k\\\"}\",\"other\":\"[1, 2]\",\"plain\":\"{not json\",\"list\":[\"{}\"]}";
        Description description = new DescriptionProcessor(false, List.of(), List.of("cmdInfo", "plain", "list")).process(raw);
        JsonNode json = JSON.readTree(description.jsonObject());
        assertEquals("k", json.at("/cmdInfo/sessionkey").asText());
        assertEquals("[1, 2]", json.get("other").asText(), "not named: stays a string");
        assertEquals("{not json", json.get("plain").asText(), "not JSON: stays a string");
        assertEquals("{}", json.at("/list/0").asText(), "array items have no name to expand by");
    }

    @Test
    void topLevelStatusAndEntityUuidArePickedOut() {
        Description action = REDACTING.process("{\"user\":\"u\",\"nested\":{\"status\":\"Inner\",\"entityuuid\":\"inner\"},"
                + "\"status\":\"Completed\",\"entityuuid\":\"vm-1\"}");
        assertEquals("Completed", action.status());
        assertEquals("vm-1", action.entityUuid());
        Description nestedOnly = REDACTING.process("{\"job\":{\"status\":\"Inner\"},\"list\":[{\"entityuuid\":\"x\"}],\"Status\":\"case\"}");
        assertNull(nestedOnly.status(), "a nested status does not count, nor another case");
        assertNull(nestedOnly.entityUuid());
        assertNull(REDACTING.process("{\"status\":42,\"entityuuid\":null}").status(), "only strings");
        assertEquals("Completed", Description.unprocessed("{\"status\":\"Completed\"}").status());
    }

    @Test
    void theSeedEventsTakeTheFastPathAndKeepTheirVeryBytes() throws Exception {
        DescriptionProcessor everything = new DescriptionProcessor(true, List.of("ipaddress"), List.of("cmdInfo", "jobResult"));
        for (String line : EnvelopeJsonTest.fixtureLines()) {
            Description description = everything.process(line);
            assertSame(line, description.text());
            assertArrayEquals(line.getBytes(StandardCharsets.UTF_8), description.jsonObject());
            assertEquals("Completed", description.status());
            assertEquals(JSON.readTree(line).get("entityuuid").asText(), description.entityUuid());
        }
        String spaced = " {\"a\" : 1.50e3 ,\n\"s\":\"[not json\", \"b\":[1, 2.0]} ";
        assertArrayEquals(spaced.getBytes(StandardCharsets.UTF_8), everything.process(spaced).jsonObject());
    }

    @Test
    void freeTextIsKeptAsItIs() {
        for (String text : List.of("password=hunter2 in free text", "[{\"password\":\"x\"}]", "{\"password\":\"x\"} trailing", "")) {
            Description description = REDACTING.process(text);
            assertSame(text, description.text());
            assertNull(description.jsonObject());
            assertNull(description.status());
        }
        assertNull(REDACTING.process(null).text());
    }

    @Test
    void loneSurrogatesNeverBreakTheOutput() throws Exception {
        Description raw = REDACTING.process("{\"note\":\"broken \uD83D pair\",\"password\":\"x\"}");
        assertEquals("broken ? pair", JSON.readTree(raw.jsonObject()).get("note").asText());
        Description escaped = new DescriptionProcessor(true, List.of(), List.of("c"))
                .process("{\"c\":\"{\\\"n\\\":\\\"\\\\ud83d\\\",\\\"token\\\":1}\",\"d\":\"[\\\"\\ud83d\\\"]\",\"secret\":1}");
        JsonNode json = JSON.readTree(escaped.jsonObject());
        assertEquals("\uD83D", json.at("/c/n").asText());
        assertEquals("[redacted]", json.at("/c/token").asText());
    }

    @Test
    void malformedInputsNeverThrow() {
        List<String> inputs = new ArrayList<>(List.of("{", "}", "{\"a\":", "{\"a\":1,}", "{\"a\":\"\\x\"}", "{\"password\":}",
                "{\"password\":[1,2}", "{\"a\":\"{\\\"password\\\":\"}", "{\"a\":NaN}", "{'a':1}", "{\"a\":1}}", "{\"a\":01}",
                "{\"a\":\"\u0000\"}", "{\"a\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
                "{\"a\":\"" + "[".repeat(3000) + "\"}", "{\"token\":" + "{\"a\":".repeat(2000) + "1" + "}".repeat(2000) + "}"));
        Random random = new Random(42);
        String alphabet = "{}[]:,\"\\ aptokenpasswordsecret0123456789.eE-+truefalsenull\u00e9\uD83D\uDE80\uD83D";
        String seed = olderAsyncJob();
        for (int i = 0; i < 3000; i++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? seed : "{");
            for (int n = random.nextInt(40); n > 0; n--) {
                int at = random.nextInt(text.length() + 1);
                if (random.nextBoolean() && text.length() > 0 && at < text.length()) {
                    text.deleteCharAt(at);
                } else {
                    text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            inputs.add(text.toString());
        }
        DescriptionProcessor expanding = new DescriptionProcessor(true, List.of("x"), List.of("cmdInfo", "a", "ctxDetails"));
        for (String input : inputs) {
            for (DescriptionProcessor processor : List.of(REDACTING, expanding, DescriptionProcessor.unprocessed())) {
                Description description = processor.process(input);
                assertNotNull(description);
                if (description.jsonObject() != null) {
                    assertValidObject(description, input);
                }
            }
        }
    }

    private static void assertValidObject(Description description, String input) {
        try {
            assertTrue(JSON.readTree(description.jsonObject()).isObject(), input);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON for input " + input + ": " + textOf(description), e);
        }
    }
}
