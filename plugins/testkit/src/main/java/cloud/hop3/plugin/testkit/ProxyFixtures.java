package cloud.hop3.plugin.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
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
import cloud.hop3.plugin.support.server.FreePorts;

/**
 * What proxy tests build again and again: free ports, routes, and self-signed certificates made
 * with the {@code openssl} command, with a TLS context that trusts exactly them.
 */
public final class ProxyFixtures {

    private ProxyFixtures() {
    }

    /** A TCP port that was free a moment ago, outside the range outgoing connections take theirs from. */
    public static int freePort() throws IOException {
        return FreePorts.any();
    }

    /** A route of {@code app} for {@code hosts} to {@code upstreams}, without statics or TLS. */
    public static Route route(String app, List<String> hosts, List<Upstream> upstreams) {
        return new Route(AppName.of(app), hosts.stream().map(HostName::of).toList(), upstreams, Map.of(),
                Optional.empty(), false);
    }

    /** {@code route} with {@code statics} (URL prefix to directory). */
    public static Route withStatics(Route route, Map<String, Path> statics) {
        return new Route(route.app(), route.hosts(), route.upstreams(), statics, route.tls(), route.httpsRedirect());
    }

    /** {@code route} with a certificate, and plain HTTP redirected to HTTPS when {@code redirect}. */
    public static Route withTls(Route route, TlsCertificate tls, boolean redirect) {
        return new Route(route.app(), route.hosts(), route.upstreams(), route.statics(), Optional.of(tls), redirect);
    }

    /**
     * A directory {@code site} in {@code directory} with what a proxy must serve from it and what it
     * must not: {@code app.css} ("body{}"), {@code docs/index.html} ("<p>docs</p>"),
     * {@code .well-known/token} ("proof"), and a hidden {@code .env} ("SECRET=1") and a link
     * {@code link.txt} to {@code secret.txt} ("outside"), which lies next to the site.
     */
    public static Path staticSite(Path directory) throws IOException {
        Path site = TestFiles.write(directory.resolve("site"), Map.of("app.css", "body{}", "docs/index.html",
                "<p>docs</p>", ".well-known/token", "proof", ".env", "SECRET=1"));
        Path secret = Files.writeString(directory.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(site.resolve("link.txt"), secret);
        return site;
    }

    /**
     * A self-signed certificate for {@code host} ({@code <host>.crt}, {@code <host>.key} in
     * {@code directory}), made by openssl with a key of {@code keyType} as {@code -newkey} takes it
     * ({@code rsa:2048}, {@code ec}: P-256).
     */
    public static TlsCertificate selfSigned(Path directory, String host, String keyType)
            throws IOException, InterruptedException {
        Files.createDirectories(directory);
        Path chain = directory.resolve(host + ".crt");
        Path key = directory.resolve(host + ".key");
        List<String> arguments = new java.util.ArrayList<>(List.of("req", "-x509", "-newkey", keyType));
        if (keyType.equals("ec")) {
            arguments.addAll(List.of("-pkeyopt", "ec_paramgen_curve:prime256v1"));
        }
        arguments.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", chain.toString(), "-days", "2",
                "-subj", "/CN=" + host, "-addext", "subjectAltName=DNS:" + host));
        openssl(arguments.toArray(String[]::new));
        return new TlsCertificate(chain, key);
    }

    /**
     * Runs the {@code openssl} command with these arguments, for at most a minute; returns its
     * output, and fails with it when openssl fails.
     */
    public static String openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            openssl.destroyForcibly();
            throw new IOException("openssl " + String.join(" ", arguments) + " failed: " + output);
        }
        return output;
    }

    /** A self-signed RSA certificate for {@code host}, as {@link #selfSigned(Path, String, String)}. */
    public static TlsCertificate selfSigned(Path directory, String host) throws IOException, InterruptedException {
        return selfSigned(directory, host, "rsa:2048");
    }

    /** A TLS context that trusts exactly the certificates (the first of each chain) given. */
    public static SSLContext trusting(TlsCertificate... certificates) throws Exception {
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
