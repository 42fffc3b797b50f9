package io.kafkabus.cloudstack.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLHandshakeException;
import javax.security.auth.login.LoginException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

import io.kafkabus.cloudstack.testing.Ports;

/** Each cause of a failed send gets its own sentence, and "not present in metadata" is told apart by probing. */
class DiagnosisTest {
    private static final TimeoutException METADATA_TIMEOUT =
            new TimeoutException("Topic events not present in metadata after 5000 ms.");

    @Test
    void noBrokerReachableNamesEachAddressAndWhy() {
        int closedPort = Ports.closed();
        Diagnosis.Explanation why = diagnosis("127.0.0.1:" + closedPort + ", kafka1.invalid:9092").ofTransient(METADATA_TIMEOUT);
        assertEquals(Diagnosis.NO_BROKER, why.sentence);
        assertEquals("bootstrap.servers 127.0.0.1:" + closedPort + " (connection refused), kafka1.invalid:9092 (unknown host)",
                why.detail);
    }

    @Test
    void aListenerThatTakesConnectionsButSendsNoMetadataIsToldApartFromNoBroker() throws IOException {
        try (ServerSocket listener = new ServerSocket(0)) {
            Diagnosis.Explanation why = diagnosis("127.0.0.1:" + listener.getLocalPort()).ofTransient(METADATA_TIMEOUT);
            assertEquals(Diagnosis.NO_METADATA, why.sentence);
            assertEquals("bootstrap.servers 127.0.0.1:" + listener.getLocalPort() + " (accepts connections); "
                    + "TimeoutException: Topic events not present in metadata after 5000 ms.", why.detail);
        }
    }

    @Test
    void tlsSaslRightsAndReplicasEachHaveTheirOwnSentence() {
        Diagnosis diagnosis = diagnosis("localhost:9");
        Diagnosis.Explanation tls = diagnosis.ofTransient(new SslAuthenticationException("SSL handshake failed",
                new SSLHandshakeException("PKIX path building failed")));
        assertEquals(Diagnosis.TLS, tls.sentence);
        assertEquals("SslAuthenticationException: SSL handshake failed (cause: SSLHandshakeException: PKIX path building failed)",
                tls.detail);
        assertEquals(Diagnosis.SASL, diagnosis.ofTransient(new SaslAuthenticationException(
                "Authentication failed: Invalid username or password")).sentence);
        assertEquals(Diagnosis.CLUSTER_RIGHTS, diagnosis.ofTransient(new ClusterAuthorizationException(
                "Cluster authorization failed.")).sentence);
        assertEquals(Diagnosis.TOO_FEW_REPLICAS, diagnosis.ofTransient(new NotEnoughReplicasException(
                "Messages are rejected since there are fewer in-sync replicas than required.")).sentence);
        assertEquals(Diagnosis.NOT_TAKEN, diagnosis.ofTransient(new KafkaException("anything else")).sentence);
    }

    @Test
    void aCertificateThatIsUntrustedForAnotherHostOrExpiredIsNamed() {
        Diagnosis diagnosis = diagnosis("localhost:9");
        assertEquals(Diagnosis.UNTRUSTED_CERTIFICATE, diagnosis.ofTransient(handshake(new CertPathBuilderException(
                "unable to find valid certification path to requested target"))).sentence);
        assertEquals(Diagnosis.WRONG_HOST, diagnosis.ofTransient(handshake(new CertificateException(
                "No subject alternative DNS name matching kafka1 found."))).sentence);
        assertEquals(Diagnosis.EXPIRED_CERTIFICATE, diagnosis.ofTransient(handshake(new CertificateExpiredException(
                "NotAfter: Tue Dec 01 05:22:23 UTC 2026"))).sentence);
        assertEquals(Diagnosis.TLS, diagnosis.ofTransient(handshake(new SSLHandshakeException(
                "Received fatal alert: bad_certificate"))).sentence);
    }

    @Test
    void anOAuthLoginThatFailsNamesTheTokenEndpointInOneLine() {
        Diagnosis diagnosis = new Diagnosis(new BrokerProbe(List.of("localhost:9"), Duration.ofSeconds(1)), "http://idp:8080/token");
        // The client's LoginException carries the stack trace of its cause in its message.
        Diagnosis.Explanation why = diagnosis.ofCreation(new KafkaException("Failed to construct kafka producer", new LoginException(
                "org.apache.kafka.common.KafkaException: java.net.ConnectException: Connection refused\n\tat org.apache.kafka.X.y(X.java:1)")));
        assertEquals(Diagnosis.NO_TOKEN, why.sentence);
        assertEquals("sasl.oauthbearer.token.endpoint.url http://idp:8080/token; KafkaException: Failed to construct kafka producer "
                + "(cause: LoginException: org.apache.kafka.common.KafkaException: java.net.ConnectException: Connection refused)", why.detail);
        assertEquals(Diagnosis.NOT_CREATED, diagnosis("localhost:9").ofCreation(new KafkaException("x", new LoginException("y"))).sentence);
    }

    @Test
    void aRefusedOAuthTokenIsNotCalledAPasswordProblem() {
        Diagnosis diagnosis = new Diagnosis(new BrokerProbe(List.of("localhost:9"), Duration.ofSeconds(1)), "http://idp:8080/token");
        Diagnosis.Explanation why = diagnosis.ofTransient(new SaslAuthenticationException("{\"status\":\"invalid_token\"}"));
        assertEquals(Diagnosis.TOKEN_REFUSED, why.sentence);
        assertEquals("SaslAuthenticationException: {\"status\":\"invalid_token\"}", why.detail);
    }

    /** As the JDK reports a refused certificate: the check's exception under an SSLHandshakeException. */
    private static SslAuthenticationException handshake(Exception cause) {
        SSLHandshakeException handshake = new SSLHandshakeException("PKIX path validation failed");
        handshake.initCause(cause);
        return new SslAuthenticationException("SSL handshake failed", handshake);
    }

    @Test
    void aMissingTopicAndADeniedWriteNameTheTopic() {
        assertEquals("topic alerts does not exist and the cluster does not create topics automatically: create it",
                Diagnosis.ofRefusal(new TimeoutException("Topic alerts not present in metadata after 5000 ms.",
                        new UnknownTopicOrPartitionException("This server does not host this topic-partition.")), "alerts"));
        assertEquals("this principal may not write to topic alerts: grant it WRITE on the topic",
                Diagnosis.ofRefusal(new TopicAuthorizationException("Not authorized to access topics: [alerts]"), "alerts"));
    }

    @Test
    void aProducerThatCannotBeMadeSaysWhetherNoBootstrapHostResolves() {
        KafkaException unresolved = new KafkaException("Failed to construct kafka producer",
                new ConfigException("No resolvable bootstrap urls given in bootstrap.servers"));
        Diagnosis.Explanation why = diagnosis("kafka1.invalid:9092,kafka2.invalid:9092").ofCreation(unresolved);
        assertEquals(Diagnosis.UNRESOLVED, why.sentence);
        assertEquals("bootstrap.servers kafka1.invalid:9092 (unknown host), kafka2.invalid:9092 (unknown host)", why.detail);
        assertEquals(Diagnosis.NOT_CREATED, diagnosis("localhost:9").ofCreation(new KafkaException("other")).sentence);
    }

    private static Diagnosis diagnosis(String bootstrapServers) {
        return new Diagnosis(new BrokerProbe(List.of(bootstrapServers.split(",\\s*")), Duration.ofSeconds(1)));
    }
}
