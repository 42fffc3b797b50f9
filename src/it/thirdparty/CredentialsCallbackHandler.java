import java.util.List;
import java.util.Map;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;

import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;

/**
 * A third-party SASL client callback handler as vendors ship them (AWS MSK IAM's
 * IAMClientCallbackHandler is one): compiled against Kafka's standard interface. It answers the
 * PLAIN login with the user and password given as system properties, whatever the JAAS text says.
 */
public class CredentialsCallbackHandler implements AuthenticateCallbackHandler {
    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    }

    @Override
    public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback) {
                ((NameCallback) callback).setName(System.getProperty("thirdparty.user"));
            } else if (callback instanceof PasswordCallback) {
                ((PasswordCallback) callback).setPassword(System.getProperty("thirdparty.password").toCharArray());
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    @Override
    public void close() {
    }
}
