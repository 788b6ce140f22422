package cloud.hop3.tls.acme;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * Connects acme4j to any ACME directory URL, checking the server's HTTPS certificate against the
 * configured trust store when there is one (a test authority such as Pebble, or a company CA),
 * else against the JDK's trusted roots. Given to acme4j's {@code Session} directly, so that
 * acme4j's provider look-up through {@link java.util.ServiceLoader}, which does not work across
 * OSGi class loaders, is not used.
 */
final class TrustStoreProvider extends GenericAcmeProvider {

    private final Optional<SSLContext> ssl;

    private TrustStoreProvider(Optional<SSLContext> ssl) {
        this.ssl = ssl;
    }

    /**
     * A provider trusting the CA certificates in {@code trustStore}, or the JDK's roots.
     *
     * @throws IOException when the file cannot be read or holds no certificate
     */
    static TrustStoreProvider trusting(Optional<Path> trustStore) throws IOException {
        if (trustStore.isEmpty()) {
            return new TrustStoreProvider(Optional.empty());
        }
        Path file = trustStore.get();
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException("trustStore " + file + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new TrustStoreProvider(Optional.of(context));
        } catch (GeneralSecurityException e) {
            throw new IOException("trustStore " + file + " is not a PEM file of certificates: " + e.getMessage(), e);
        }
    }

    @Override
    protected HttpConnector createHttpConnector(NetworkSettings settings) {
        if (ssl.isEmpty()) {
            return super.createHttpConnector(settings);
        }
        SSLContext context = ssl.get();
        return new HttpConnector(settings) {
            @Override
            public HttpClient.Builder createClientBuilder() {
                return super.createClientBuilder().sslContext(context);
            }
        };
    }
}
