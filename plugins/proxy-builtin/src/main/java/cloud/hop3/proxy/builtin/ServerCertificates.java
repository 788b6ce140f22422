package cloud.hop3.proxy.builtin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.proxy.ProxyException;
import cloud.hop3.api.proxy.TlsCertificate;
import cloud.hop3.plugin.support.pem.Pem;

/**
 * The TLS server contexts of the apps' certificates, built when a route table is applied (never
 * per connection) and cached by file path, modification time and size: a table that names the
 * same unchanged files reuses their context, and a renewed certificate (new files, or the same
 * paths rewritten) is read again by the next apply.
 * <p>
 * <b>Threading.</b> Called under the server's apply lock only; not thread-safe by itself. The
 * contexts it returns are immutable and shared by every event loop.
 */
final class ServerCertificates {

    /** The identity of a certificate's two files as they are on disk now. */
    private record Version(Path chain, FileTime chainModified, long chainSize,
                           Path key, FileTime keyModified, long keySize) {
    }

    private static final ApplicationProtocolConfig HTTP_1_1_ONLY = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_1_1);

    /**
     * OpenSSL (Netty's BoringSSL build, shipped with the distribution) when its native library
     * loads on this machine: faster than the JDK's TLS, with less garbage; else the JDK's.
     */
    static final SslProvider PROVIDER = SslProvider.isAlpnSupported(SslProvider.OPENSSL) ? SslProvider.OPENSSL
            : SslProvider.JDK;

    private Map<Version, SslContext> cache = new HashMap<>();
    private Map<Version, SslContext> next = new HashMap<>();

    /**
     * The context of {@code app}'s certificate, from the cache when its files did not change.
     * Contexts used since the last {@link #commit()} are kept by it; the others are forgotten.
     *
     * @throws ProxyException naming the app and the file when a file cannot be read, is not a
     *                        PEM certificate or key, or the key does not belong to the certificate
     */
    SslContext context(AppName app, TlsCertificate certificate) throws ProxyException {
        if (certificate.certificateChain() == null || certificate.privateKey() == null) {
            throw new ProxyException("App '" + app + "' has a certificate without its "
                    + (certificate.certificateChain() == null ? "chain" : "private key") + " file.");
        }
        Path chainFile = certificate.certificateChain().toAbsolutePath();
        Path keyFile = certificate.privateKey().toAbsolutePath();
        BasicFileAttributes chainAttributes = attributes(app, chainFile, "certificate chain");
        BasicFileAttributes keyAttributes = attributes(app, keyFile, "private key");
        Version version = new Version(chainFile, chainAttributes.lastModifiedTime(), chainAttributes.size(),
                keyFile, keyAttributes.lastModifiedTime(), keyAttributes.size());
        SslContext context = next.get(version);
        if (context == null) {
            context = cache.get(version);
        }
        if (context == null) {
            context = build(app, chainFile, keyFile);
        }
        next.put(version, context);
        return context;
    }

    /** The table is applied: keep the contexts it uses, forget the rest. */
    void commit() {
        cache = next;
        next = new HashMap<>();
    }

    /** The table was refused: the cache stays as the serving table left it. */
    void rollback() {
        next = new HashMap<>();
    }

    private static SslContext build(AppName app, Path chainFile, Path keyFile) throws ProxyException {
        List<X509Certificate> chain;
        PrivateKey key;
        try {
            chain = Pem.certificates(read(app, chainFile, "certificate chain"));
        } catch (IllegalArgumentException e) {
            throw new ProxyException("The certificate chain of app '" + app + "', " + chainFile + ", is unusable: "
                    + e.getMessage() + ".");
        }
        try {
            key = Pem.privateKey(read(app, keyFile, "private key"));
        } catch (IllegalArgumentException e) {
            throw new ProxyException("The private key of app '" + app + "', " + keyFile + ", is unusable: "
                    + e.getMessage() + ".");
        }
        if (!Pem.matches(key, chain.get(0))) {
            throw new ProxyException("The private key of app '" + app + "', " + keyFile
                    + ", does not belong to the certificate in " + chainFile + ".");
        }
        try {
            return SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .sslProvider(PROVIDER)
                    .applicationProtocolConfig(HTTP_1_1_ONLY)
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new ProxyException("The certificate of app '" + app + "' (" + chainFile + ", " + keyFile
                    + ") cannot serve TLS: " + e.getMessage(), e);
        }
    }

    private static BasicFileAttributes attributes(AppName app, Path file, String what) throws ProxyException {
        return read(app, file, what, f -> Files.readAttributes(f, BasicFileAttributes.class));
    }

    private static String read(AppName app, Path file, String what) throws ProxyException {
        return read(app, file, what, f -> Files.readString(f, StandardCharsets.ISO_8859_1));
    }

    /** Reads something of a file; a file that cannot be read fails with a message naming the app and the file. */
    private static <T> T read(AppName app, Path file, String what, FileReader<T> reader) throws ProxyException {
        try {
            return reader.read(file);
        } catch (IOException e) {
            throw new ProxyException("The " + what + " of app '" + app + "', " + file + ", cannot be read ("
                    + e + ").", e);
        }
    }

    @FunctionalInterface
    private interface FileReader<T> {
        T read(Path file) throws IOException;
    }
}
