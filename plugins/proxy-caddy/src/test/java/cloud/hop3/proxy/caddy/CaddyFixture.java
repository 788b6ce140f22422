package cloud.hop3.proxy.caddy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.proxy.Route;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.api.proxy.Upstream;

/** Settings, routes and certificates for the tests. */
final class CaddyFixture {

    private CaddyFixture() {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static CaddySettings settings(Path directory) throws IOException {
        return new CaddySettings("caddy", directory, "127.0.0.1", freePort(), freePort(), Duration.ofSeconds(2),
                Duration.ofSeconds(30), 16384, 1024L * 1024L, Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    static Route route(String app, List<Upstream> upstreams) {
        return new Route(AppName.of(app), List.of(HostName.of(app + ".test")), upstreams, Map.of(), Optional.empty(), false);
    }

    static Route route(String app, List<Upstream> upstreams, Map<String, Path> statics) {
        return new Route(AppName.of(app), List.of(HostName.of(app + ".test")), upstreams, statics, Optional.empty(), false);
    }

    /** A self-signed certificate for {@code host}, made by openssl, as PEM files in {@code directory}. */
    static TlsCertificate certificate(Path directory, String host) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path chain = directory.resolve(host + ".crt");
        Path key = directory.resolve(host + ".key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", chain.toString(), "-days", "2", "-subj", "/CN=" + host,
                "-addext", "subjectAltName=DNS:" + host).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IOException("openssl failed: " + output);
        }
        return new TlsCertificate(chain, key);
    }

    /** A TLS context that trusts exactly {@code certificates}. */
    static SSLContext trusting(TlsCertificate... certificates) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        int i = 0;
        for (TlsCertificate certificate : certificates) {
            try (InputStream in = Files.newInputStream(certificate.certificateChain())) {
                store.setCertificateEntry("c" + i++, (X509Certificate) factory.generateCertificate(in));
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
