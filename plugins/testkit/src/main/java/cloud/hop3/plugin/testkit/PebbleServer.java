package cloud.hop3.plugin.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import cloud.hop3.plugin.support.server.FreePorts;

/**
 * The real Pebble ACME test server from Debian, on free ports, for one test class: its own TLS
 * certificate for the ACME API (made with openssl), HTTP-01 validation against
 * {@code challengePort} on this machine, and every host name resolved to 127.0.0.1 by
 * pebble-challtestsrv's DNS server. {@link #start} skips the test when pebble is not installed.
 * Stops both servers on {@link #close}.
 */
public final class PebbleServer implements AutoCloseable {

    public static final Path PEBBLE = Path.of("/usr/bin/pebble");
    public static final Path CHALLTESTSRV = Path.of("/usr/bin/pebble-challtestsrv");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path directory;
    private final int acmePort;
    private final int managementPort;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient client;

    private PebbleServer(Path directory, int acmePort, int managementPort, SSLContext ssl) {
        this.directory = directory;
        this.acmePort = acmePort;
        this.managementPort = managementPort;
        this.client = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Starts Pebble validating HTTP-01 challenges on {@code challengePort}; files go to {@code directory}. */
    public static PebbleServer start(Path directory, int challengePort) throws Exception {
        assumeTrue(Files.isExecutable(PEBBLE), "Pebble is not installed (" + PEBBLE
                + "): install Debian's pebble package (scripts/test does) to run the ACME tests");
        assumeTrue(Files.isExecutable(CHALLTESTSRV), "pebble-challtestsrv is not installed (" + CHALLTESTSRV + ")");
        Files.createDirectories(directory);
        Path cert = directory.resolve("pebble-cert.pem");
        Path key = directory.resolve("pebble-key.pem");
        run(directory, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        int acmePort = freeTcpPort();
        int managementPort = freeTcpPort();
        int dnsPort = freeDnsPort();
        int challtestManagementPort = freeTcpPort();
        Files.writeString(directory.resolve("pebble-config.json"), """
                {
                  "pebble": {
                    "listenAddress": "127.0.0.1:%d",
                    "managementListenAddress": "127.0.0.1:%d",
                    "certificate": "%s",
                    "privateKey": "%s",
                    "httpPort": %d,
                    "tlsPort": %d,
                    "ocspResponderURL": "",
                    "externalAccountBindingRequired": false
                  }
                }
                """.formatted(acmePort, managementPort, cert, key, challengePort, freeTcpPort()));
        PebbleServer server = new PebbleServer(directory, acmePort, managementPort, sslTrusting(cert));
        try {
            server.launch(directory.resolve("challtestsrv.log"), CHALLTESTSRV.toString(),
                    "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
                    "-dns01", "127.0.0.1:" + dnsPort, "-http01", "", "-https01", "", "-tlsalpn01", "",
                    "-management", "127.0.0.1:" + challtestManagementPort);
            server.awaitHttp("http://127.0.0.1:" + challtestManagementPort + "/", HttpClient.newHttpClient());
            ProcessBuilder pebble = new ProcessBuilder(PEBBLE.toString(), "-config",
                    directory.resolve("pebble-config.json").toString(), "-dnsserver", "127.0.0.1:" + dnsPort);
            pebble.environment().put("PEBBLE_VA_NOSLEEP", "1");
            pebble.environment().put("PEBBLE_WFE_NONCEREJECT", "0");
            pebble.environment().put("PEBBLE_AUTHZREUSE", "0");
            server.launch(directory.resolve("pebble.log"), pebble);
            server.awaitHttp(server.directoryUrl(), server.client);
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /** The ACME directory URL. */
    public String directoryUrl() {
        return "https://localhost:" + acmePort + "/dir";
    }

    /** PEM file of the CA that Pebble's ACME API certificate verifies against. */
    public Path trustStore() {
        return directory.resolve("pebble-cert.pem");
    }

    /** The root certificate that Pebble issues under (its management interface serves it). */
    public X509Certificate root() throws Exception {
        return management("/roots/0");
    }

    /** The intermediate certificate that signs Pebble's certificates. */
    public X509Certificate intermediate() throws Exception {
        return management("/intermediates/0");
    }

    /** Pebble's log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(directory.resolve("pebble.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private X509Certificate management(String path) throws Exception {
        HttpResponse<byte[]> response = client.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + managementPort + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("Pebble answered " + response.statusCode() + " for " + path);
        }
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(response.body()));
    }

    private void launch(Path log, String... command) throws IOException {
        launch(log, new ProcessBuilder(command));
    }

    private void launch(Path log, ProcessBuilder builder) throws IOException {
        builder.redirectErrorStream(true).redirectOutput(log.toFile()).directory(directory.toFile());
        processes.add(builder.start());
    }

    private void awaitHttp(String url, HttpClient http) throws Exception {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(process.info().command().orElse("a server") + " exited with "
                            + process.exitValue() + ":\n" + log());
                }
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(url + " did not answer within " + START_TIMEOUT + ": " + last + "\n" + log());
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static SSLContext sslTrusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("pebble", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(cert))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void run(Path directory, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    public static int freeTcpPort() throws IOException {
        return FreePorts.any();
    }

    /** A port free for both UDP and TCP on 127.0.0.1 (the DNS server binds both). */
    private static int freeDnsPort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException busy) {
                    // try another
                }
            }
        }
        throw new IOException("No port free for both UDP and TCP");
    }
}
