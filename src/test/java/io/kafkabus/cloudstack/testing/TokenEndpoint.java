package io.kafkabus.cloudstack.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OAuth 2 authorization server as far as Kafka's OAUTHBEARER needs one: {@code POST /token} issues
 * RS256 JWTs for the client-credentials grant to the one client it knows (HTTP basic authentication)
 * and refuses other requests (a JWT-bearer grant's, say), keeping each request's form in {@link #requests};
 * {@code GET /jwks} serves the key that verifies them. Can be stopped and started again on its port.
 */
public final class TokenEndpoint implements AutoCloseable {
    public static final String AUDIENCE = "kafka";
    public static final String ISSUER = "test-issuer";
    private final RsaJsonWebKey key;
    private final String clientId;
    private final String clientSecret;
    private final int port;
    /** The tokens issued so far, in order. */
    public final List<String> issued = new CopyOnWriteArrayList<>();
    /** The form of every token request received, granted or not, in order. */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Duration lifetime = Duration.ofHours(1);
    private volatile Instant lastExpiry = Instant.EPOCH;
    private HttpServer server;

    private TokenEndpoint(String clientId, String clientSecret, int port) throws JoseException {
        this.key = RsaJwkGenerator.generateJwk(2048);
        this.key.setKeyId("test-key");
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.port = port;
    }

    /** Starts serving on a free port of 127.0.0.1 for the client {@code clientId} / {@code clientSecret}. */
    public static TokenEndpoint start(String clientId, String clientSecret) {
        try {
            TokenEndpoint endpoint = new TokenEndpoint(clientId, clientSecret, Ports.closed());
            endpoint.startServing();
            return endpoint;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public String tokenUrl() {
        return "http://127.0.0.1:" + port + "/token";
    }

    public String jwksUrl() {
        return "http://127.0.0.1:" + port + "/jwks";
    }

    /** What {@code org.apache.kafka.sasl.oauthbearer.allowed.urls} must allow for clients and brokers to use this endpoint. */
    public String allowedUrls() {
        return tokenUrl() + "," + jwksUrl();
    }

    /** Tokens issued from now on expire {@code lifetime} (whole seconds) after they are issued; an hour by default. */
    public void tokenLifetime(Duration lifetime) {
        this.lifetime = lifetime;
    }

    /** When the latest token issued expires. */
    public Instant lastExpiry() {
        return lastExpiry;
    }

    /** Serves again, on the same port, after {@link #stop}; does nothing while serving. */
    public synchronized void startServing() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/token", this::token);
        server.createContext("/jwks", exchange -> answer(exchange, 200,
                new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
        server.start();
    }

    /** Stops answering: connections to the port are refused. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void token(HttpExchange exchange) throws IOException {
        requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (!"POST".equals(exchange.getRequestMethod()) || !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        try {
            JwtClaims claims = new JwtClaims();
            claims.setSubject(clientId);
            claims.setIssuer(ISSUER);
            claims.setAudience(AUDIENCE);
            NumericDate now = NumericDate.now();
            NumericDate expiry = NumericDate.fromSeconds(now.getValue() + lifetime.toSeconds());
            claims.setIssuedAt(now);
            claims.setExpirationTime(expiry);
            claims.setClaim("scope", "kafka");
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            String token = jws.getCompactSerialization();
            issued.add(token);
            lastExpiry = Instant.ofEpochSecond(expiry.getValue());
            answer(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                    + lifetime.toSeconds() + "}");
        } catch (JoseException e) {
            answer(exchange, 500, "{\"error\":\"" + e.getMessage() + "\"}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The broker settings that validate this endpoint's tokens on the SASL listener named {@code listener}. */
    public Map<String, String> brokerSettings(String listener) {
        String prefix = "listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + ".oauthbearer.";
        return Map.of(prefix + "sasl.server.callback.handler.class",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler",
                prefix + "sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
                        + "unsecuredLoginStringClaim_sub=\"broker\";",
                "sasl.oauthbearer.jwks.endpoint.url", jwksUrl(),
                "sasl.oauthbearer.expected.audience", AUDIENCE,
                "sasl.oauthbearer.expected.issuer", ISSUER,
                // A token's expiry ends the connection's session, as with Confluent Cloud: a short-lived token shows it in seconds.
                prefix + "connections.max.reauth.ms", "3600000",
                "sasl.oauthbearer.clock.skew.seconds", "0");
    }
}
