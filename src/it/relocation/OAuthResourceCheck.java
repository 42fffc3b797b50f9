import java.util.Map;

import io.kafkabus.cloudstack.config.EventBusConfig;
import io.kafkabus.cloudstack.shaded.kafka.clients.producer.KafkaProducer;

/**
 * Runs on the built jar alone: a producer logging in with SASL/OAUTHBEARER through Kafka's own
 * login callback handler, its token endpoint {@code args[0]} (an http: URL or a file: one). Kafka
 * fetches the token when the producer is made, after checking the endpoint against the JVM-wide
 * {@code org.apache.kafka.sasl.oauthbearer.allowed.urls} or {@code ...allowed.files}. Prints
 * {@code PRODUCER CREATED} or {@code REFUSED} and the messages of the failure's causes.
 */
public class OAuthResourceCheck {
    public static void main(String[] args) throws Exception {
        EventBusConfig config = EventBusConfig.parse(Map.of(
                "bootstrap.servers", "localhost:9",
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "OAUTHBEARER",
                "sasl.login.callback.handler.class", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler",
                "sasl.oauthbearer.token.endpoint.url", args[0],
                "sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
                        + "clientId=\"bus\" clientSecret=\"secret\";"),
                "OAuthResourceCheck", "oauthCheck");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config.producerProperties())) {
            System.out.println("PRODUCER CREATED");
        } catch (RuntimeException e) {
            StringBuilder causes = new StringBuilder("REFUSED");
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                causes.append(" | ").append(cause.getMessage());
            }
            System.out.println(causes);
        }
    }
}
