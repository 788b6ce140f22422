package cloud.hop3.proxy.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.plugin.testkit.ProxyFixtures;

/**
 * A test certificate authority made with the {@code openssl} command, the certificates it issues
 * for host names (PEM files as core writes them), and TLS clients that trust only it.
 */
final class TestCertificates {

    private final Path directory;
    private final Path caKey;
    private final Path caCertificate;
    private final SSLContext clientContext;
    private final AtomicInteger serial = new AtomicInteger(1);

    TestCertificates(Path directory) throws Exception {
        this.directory = directory;
        caKey = directory.resolve("ca.key");
        caCertificate = directory.resolve("ca.pem");
        ProxyFixtures.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(), "-out",
                caCertificate.toString(), "-days", "2", "-subj", "/CN=Hop3 test CA");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCertificate)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        clientContext = SSLContext.getInstance("TLS");
        clientContext.init(null, factory.getTrustManagers(), null);
    }

    /** A new certificate for {@code hosts} (the first one is the subject), in files named after {@code name}. */
    TlsCertificate issue(String name, String... hosts) throws Exception {
        return issueInto(directory.resolve(name + ".pem"), directory.resolve(name + ".key"), "rsa:2048", hosts);
    }

    /**
     * A new certificate for {@code hosts} written to these paths, replacing what they hold, as a
     * renewal does; {@code keyType} as openssl's {@code -newkey} takes it ("rsa:2048", "ec",...).
     */
    TlsCertificate issueInto(Path chain, Path key, String keyType, String... hosts) throws Exception {
        Path request = Files.createTempFile(directory, "req", ".csr");
        Path extensions = Files.createTempFile(directory, "ext", ".cnf");
        List<String> names = new ArrayList<>();
        for (String host : hosts) {
            names.add("DNS:" + host);
        }
        Files.writeString(extensions, "subjectAltName=" + String.join(",", names) + "\n");
        List<String> newKey = new ArrayList<>(List.of("req", "-new", "-nodes", "-keyout", key.toString(), "-out",
                request.toString(), "-subj", "/CN=" + hosts[0]));
        if (keyType.equals("ec")) {
            newKey.addAll(List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
        } else {
            newKey.addAll(List.of("-newkey", keyType));
        }
        ProxyFixtures.openssl(newKey.toArray(String[]::new));
        Path leaf = Files.createTempFile(directory, "leaf", ".pem");
        ProxyFixtures.openssl("x509", "-req", "-in", request.toString(), "-CA", caCertificate.toString(), "-CAkey",
                caKey.toString(), "-set_serial", Integer.toString(serial.incrementAndGet()), "-days", "2",
                "-extfile", extensions.toString(), "-out", leaf.toString());
        // the chain: the certificate, then its issuer
        Files.writeString(chain, Files.readString(leaf) + Files.readString(caCertificate));
        return new TlsCertificate(chain, key);
    }

    /**
     * A TLS connection to the proxy's HTTPS port, handshaken, that sends {@code serverName} as
     * SNI (none when null) and checks that the certificate is the CA's and names that host.
     */
    SSLSocket connect(int port, String serverName) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        // the JDK client caches sessions by this host and port, and resumes one with its own name
        SSLSocket socket = (SSLSocket) clientContext.getSocketFactory().createSocket(plain,
                serverName == null ? "127.0.0.1" : serverName, port, true);
        socket.setSoTimeout(20_000);
        SSLParameters parameters = socket.getSSLParameters();
        if (serverName != null) {
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        } else {
            parameters.setServerNames(List.of());
        }
        parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        socket.setSSLParameters(parameters);
        try {
            socket.startHandshake();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    /** The certificate the server presented on {@code socket}. */
    static X509Certificate peer(SSLSocket socket) throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
}
