import java.security.Provider;

import org.apache.kafka.common.security.auth.SecurityProviderCreator;

/**
 * A third-party {@code security.providers} creator (Kafka's client ships none), compiled against
 * Kafka's standard interface; it would add the JDK's first provider again.
 */
public class ProviderCreator implements SecurityProviderCreator {
    @Override
    public Provider getProvider() {
        return java.security.Security.getProviders()[0];
    }
}
