package cloud.hop3.tls.selfsigned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.tls.IssuedCertificate;
import cloud.hop3.plugin.support.pem.Pem;

/**
 * A real TLS handshake: a JDK server with the issued key and chain, a client that trusts only
 * the exported ca.pem and checks the host name it asked for by SNI.
 */
class TlsHandshakeTest {

    @TempDir
    Path temp;

    private ExecutorService serverThread;
    private SSLServerSocket server;

    @BeforeEach
    void startServer() throws Exception {
        IssuedCertificate issued = Fixtures.issuer(temp.resolve("state"), 90, 30).issue(
                new LinkedHashSet<>(List.of(HostName.of("shop.example.test"), HostName.of("blog.apps.example.test"))), temp.resolve("shop"));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("shop", Pem.privateKey(java.nio.file.Files.readString(issued.privateKey())), new char[0],
                Fixtures.certificates(issued.certificateChain()).toArray(new Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        serverThread = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
        serverThread.shutdownNow();
        assertTrue(serverThread.awaitTermination(10, TimeUnit.SECONDS));
    }

    /** Accepts one connection, answers the line it reads with the SNI name it was asked for. */
    private Future<String> serveOnce() {
        return serverThread.submit(() -> {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.setSoTimeout(10_000);
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
                String sni = ((ExtendedSSLSession) socket.getSession()).getRequestedServerNames().stream()
                        .map(n -> ((SNIHostName) n).getAsciiName()).findFirst().orElse("-");
                OutputStream out = socket.getOutputStream();
                out.write((line + " via " + sni + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                return sni;
            }
        });
    }

    private SSLContext clientTrusting(Path caPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        X509Certificate ca = Fixtures.certificates(caPem).get(0);
        trust.setCertificateEntry("hop3-ca", ca);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** Connects to the loopback server as {@code host}: SNI and the host name check both use it. */
    private String request(SSLContext client, String host) throws Exception {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 10_000);
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(plain, host, server.getLocalPort(), true)) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void aClientTrustingOnlyTheCaConnectsByName() throws Exception {
        Future<String> sni = serveOnce();
        assertEquals("hello via shop.example.test", request(clientTrusting(temp.resolve("state/selfsigned/ca.pem")), "shop.example.test"));
        assertEquals("shop.example.test", sni.get(10, TimeUnit.SECONDS));
    }

    @Test
    void theSecondNameIsCoveredToo() throws Exception {
        Future<String> sni = serveOnce();
        assertEquals("hello via blog.apps.example.test",
                request(clientTrusting(temp.resolve("state/selfsigned/ca.pem")), "blog.apps.example.test"));
        sni.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aNameTheCertificateDoesNotCoverIsRefused() throws Exception {
        serveOnce();
        assertThrows(SSLHandshakeException.class,
                () -> request(clientTrusting(temp.resolve("state/selfsigned/ca.pem")), "other.example.test"));
    }

    @Test
    void aClientTrustingAnotherCaIsRefused() throws Exception {
        Path otherCa = new LocalCertificateAuthority(temp.resolve("other")).certificateFile();
        new LocalCertificateAuthority(temp.resolve("other")).certificatePem();
        serveOnce();
        assertThrows(SSLHandshakeException.class, () -> request(clientTrusting(otherCa), "shop.example.test"));
    }
}
