package io.kafkabus.cloudstack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import javax.naming.ConfigurationException;

import org.junit.jupiter.api.Test;

class BootstrapServersTest {
    private static final String FILE = "/etc/cloudstack/management/kafka.producer.properties";
    private static final String PREFIX = "Invalid Kafka event bus configuration in " + FILE + ": ";

    private static String refused(String servers) {
        return assertThrows(ConfigurationException.class,
                () -> EventBusConfig.parse(Map.of("bootstrap.servers", servers), FILE, "bus")).getMessage();
    }

    @Test
    void aBrokerWithoutAPortIsRefused() {
        assertEquals(PREFIX + "invalid value kafka1,kafka2:9092 for 'bootstrap.servers': kafka1 is not host:port "
                + "(e.g. kafka1:9092)", refused("kafka1,kafka2:9092"));
    }

    @Test
    void brokersSeparatedBySemicolonsAreRefused() {
        assertEquals(PREFIX + "invalid value kafka1:9092;kafka2:9092 for 'bootstrap.servers': brokers are separated by ',' "
                + "not ';'", refused("kafka1:9092;kafka2:9092"));
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertEquals(PREFIX + "invalid value kafka1:99999 for 'bootstrap.servers': port 99999 of kafka1:99999 is not "
                + "between 1 and 65535", refused("kafka1:99999"));
    }

    @Test
    void exampleHostsThatNeverResolveAreRefused() {
        assertEquals(PREFIX + "invalid value kafka1.example.com:9092 for 'bootstrap.servers': kafka1.example.com is an "
                + "example name that never resolves (RFC 2606): set the host:port of your Kafka brokers",
                refused("kafka1.example.com:9092"));
        for (String host : new String[] {"example.net", "b.EXAMPLE.org", "broker.example", "kafka.invalid", "kafka.test."}) {
            String message = refused("ok.cloud.internal:9092," + host + ":9092");
            assertEquals(PREFIX + "invalid value ok.cloud.internal:9092," + host + ":9092 for 'bootstrap.servers': " + host
                    + " is an example name that never resolves (RFC 2606): set the host:port of your Kafka brokers", message);
        }
    }

    /** A name that does not resolve yet may resolve later: the producer retries it, start-up goes on. */
    @Test
    void namesAreNotResolvedAtStartUp() throws Exception {
        String servers = "not-in-dns-yet.cloud.internal:9092,example.company.com:9093,[::1]:9094,10.0.0.1:9092";
        EventBusConfig config = EventBusConfig.parse(Map.of("bootstrap.servers", servers), FILE, "bus");
        assertEquals(servers, config.producerProperties().get("bootstrap.servers"));
    }
}
