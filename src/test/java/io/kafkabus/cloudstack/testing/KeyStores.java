package io.kafkabus.cloudstack.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** Key store files for TLS settings that must open, without a certificate authority. */
public final class KeyStores {
    private KeyStores() {
    }

    /** An empty PKCS12 store protected by {@code password}: Kafka opens it as a trust store or a key store. */
    public static Path emptyPkcs12(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }
}
