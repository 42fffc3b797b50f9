import java.util.Map;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.shaded.kafka.clients.producer.KafkaProducer;

/**
 * Runs on the built jar alone: a properties file naming Kafka's PLAIN login module by its standard
 * name must give a producer that logs in (creating a SASL producer performs the JAAS login, no
 * broker needed), although that name does not exist inside the jar.
 */
public class LoginModuleCheck {
    public static void main(String[] args) throws Exception {
        EventBusConfig config = EventBusConfig.parse(Map.of(
                "bootstrap.servers", "localhost:9",
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";"),
                "LoginModuleCheck", "loginCheck");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config.producerProperties())) {
            System.out.println("PRODUCER CREATED");
        }
        try {
            Class.forName("org.apache.kafka.common.security.plain.PlainLoginModule");
            System.out.println("STANDARD NAME LOADABLE");
        } catch (ClassNotFoundException e) {
            System.out.println("STANDARD NAME ABSENT");
        }
    }
}
