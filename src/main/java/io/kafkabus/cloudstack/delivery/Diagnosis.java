package io.kafkabus.cloudstack.delivery;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.List;
import java.util.stream.Collectors;

import javax.security.auth.login.LoginException;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import io.kafkabus.cloudstack.logging.ErrorText;

/**
 * Says in the operator's words why Kafka did not take an event: one sentence per cause, constant
 * so that the rate-limited log tells causes apart, and a detail with the client's own message.
 * The client's "not present in metadata" hides several causes; the {@link BrokerProbe} tells them apart.
 * Public for the command line's {@code check}, which explains its own clients' failures in the same words.
 */
public final class Diagnosis {
    static final String NO_BROKER = "no Kafka broker is reachable";
    public static final String NO_METADATA = "Kafka brokers accept connections but the bus gets no metadata from them "
            + "(does security.protocol match the brokers' listener on these ports?)";
    static final String TLS = "the TLS handshake with Kafka failed (does ssl.truststore.location hold the CA that "
            + "signed the brokers' certificates, and do their names match bootstrap.servers?)";
    static final String UNTRUSTED_CERTIFICATE = "Kafka's certificate is not signed by a CA the bus trusts (put the CA that "
            + "signed the brokers' certificates in ssl.truststore.location or ssl.truststore.certificates)";
    static final String WRONG_HOST = "Kafka's certificate is not for the host name the bus connects to (use in "
            + "bootstrap.servers, and in the brokers' advertised.listeners, names their certificates are for)";
    static final String EXPIRED_CERTIFICATE = "Kafka's certificate has expired or is not valid yet (renew the brokers' "
            + "certificates, and check the clocks)";
    static final String NO_TOKEN = "the bus got no OAuth token from its token endpoint (is sasl.oauthbearer.token.endpoint.url "
            + "up and reachable from the management server, and are the client id and secret right?)";
    static final String SASL = "Kafka refused the bus's SASL credentials (check sasl.mechanism and the user and "
            + "password in sasl.jaas.config)";
    static final String TOKEN_REFUSED = "Kafka refused the bus's OAuth token (has it expired because "
            + "sasl.oauthbearer.token.endpoint.url could not be reached to refresh it, or are its audience, issuer or scope "
            + "not what the brokers expect?)";
    static final String AUTHENTICATION = "Kafka refused to authenticate the bus";
    static final String CLUSTER_RIGHTS = "Kafka denied this principal a cluster-wide right (brokers before 2.8 "
            + "require IDEMPOTENT_WRITE on the cluster for the idempotent producer)";
    static final String TOO_FEW_REPLICAS = "too few in-sync replicas for acks=all (fewer brokers hold the partition "
            + "than the topic's min.insync.replicas)";
    static final String NOT_TAKEN = "Kafka did not take events";
    static final String UNRESOLVED = "no host of bootstrap.servers resolves";
    static final String NOT_CREATED = "cannot create the Kafka producer";

    private final BrokerProbe brokers;
    /** sasl.oauthbearer.token.endpoint.url, or null. */
    private final Object tokenEndpoint;

    public Diagnosis(BrokerProbe brokers) {
        this(brokers, null);
    }

    /** @param tokenEndpoint the bus's {@code sasl.oauthbearer.token.endpoint.url}, or null */
    Diagnosis(BrokerProbe brokers, Object tokenEndpoint) {
        this.brokers = brokers;
        this.tokenEndpoint = tokenEndpoint;
    }

    /** Why a send failed for a reason that cures itself; the sentence first, then the detail. */
    public Explanation ofTransient(Throwable error) {
        String detail = ErrorText.describe(error);
        if (causedBy(error, SslAuthenticationException.class)) {
            return new Explanation(ofTls(error), detail);
        }
        if (causedBy(error, SaslAuthenticationException.class)) {
            // With a token endpoint there is no password: the brokers refused the token the client last fetched.
            return new Explanation(tokenEndpoint == null ? SASL : TOKEN_REFUSED, detail);
        }
        if (causedBy(error, AuthenticationException.class)) {
            return new Explanation(AUTHENTICATION, detail);
        }
        if (causedBy(error, ClusterAuthorizationException.class)) {
            return new Explanation(CLUSTER_RIGHTS, detail);
        }
        if (causedBy(error, NotEnoughReplicasException.class) || causedBy(error, NotEnoughReplicasAfterAppendException.class)) {
            return new Explanation(TOO_FEW_REPLICAS, detail);
        }
        if (error instanceof TimeoutException) {
            return unanswered(error, detail);
        }
        return new Explanation(NOT_TAKEN, detail);
    }

    /** What TLS refused, from the JDK's certificate checks: the trust store, the name, the dates. */
    private static String ofTls(Throwable error) {
        if (causedBy(error, CertificateExpiredException.class) || causedBy(error, CertificateNotYetValidException.class)) {
            return EXPIRED_CERTIFICATE;
        }
        if (causedBy(error, CertPathBuilderException.class)) {
            return UNTRUSTED_CERTIFICATE;
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            // The JDK's host name check (sun.security.util.HostnameChecker) says so in its message only.
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof CertificateException && (message.startsWith("No subject alternative") || message.startsWith("No name matching"))) {
                return WRONG_HOST;
            }
        }
        return TLS;
    }

    /** The producer waited in vain for the cluster: are the brokers there at all? */
    private Explanation unanswered(Throwable error, String detail) {
        List<BrokerProbe.Outcome> outcomes = brokers.probe();
        String tried = "bootstrap.servers " + joined(outcomes);
        if (outcomes.stream().noneMatch(outcome -> outcome.reachable)) {
            return new Explanation(NO_BROKER, tried);
        }
        boolean waitedForMetadata = String.valueOf(error.getMessage()).contains("metadata");
        return new Explanation(waitedForMetadata ? NO_METADATA : NOT_TAKEN, tried + "; " + detail);
    }

    /** Why the producer cannot be made: its constructor gives up when no bootstrap host resolves. */
    Explanation ofCreation(Throwable error) {
        List<BrokerProbe.Outcome> outcomes = brokers.probe();
        if (!outcomes.isEmpty() && outcomes.stream().allMatch(outcome -> outcome.result.equals(BrokerProbe.UNKNOWN_HOST))) {
            return new Explanation(UNRESOLVED, "bootstrap.servers " + joined(outcomes));
        }
        if (tokenEndpoint != null && causedBy(error, LoginException.class)) {
            // The OAuth login runs in the producer's constructor: no token, no producer.
            return new Explanation(NO_TOKEN, "sasl.oauthbearer.token.endpoint.url " + tokenEndpoint + "; " + ErrorText.describe(error));
        }
        return new Explanation(NOT_CREATED, ErrorText.describe(error));
    }

    private static String joined(List<BrokerProbe.Outcome> outcomes) {
        return outcomes.stream().map(BrokerProbe.Outcome::toString).collect(Collectors.joining(", "));
    }

    /** Why Kafka refused a record for good, naming its topic. */
    public static String ofRefusal(Throwable error, String topic) {
        if (error instanceof TimeoutException && error.getCause() instanceof UnknownTopicOrPartitionException) {
            return "topic " + topic + " does not exist and the cluster does not create topics automatically: create it";
        }
        if (error instanceof TopicAuthorizationException) {
            return "this principal may not write to topic " + topic + ": grant it WRITE on the topic";
        }
        return ErrorText.describe(error);
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** A cause in the operator's words, and the client's message that shows it. */
    public static final class Explanation {
        public final String sentence;
        public final String detail;

        Explanation(String sentence, String detail) {
            this.sentence = sentence;
            this.detail = detail;
        }
    }
}
