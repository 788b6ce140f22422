package cloud.hop3.tls.selfsigned;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.plugin.support.files.AtomicFiles;
import cloud.hop3.plugin.support.pem.Pem;

/**
 * The local certificate authority kept in one directory: {@value #CERTIFICATE} (its certificate,
 * given to clients) and {@value #KEY} (its PKCS#8 private key, mode 600). Created on first use
 * (EC P-256, ten years, CN "Hop3 local CA &lt;hostname&gt;") and reused afterwards, also by
 * other instances and other processes on the same directory.
 * <p>
 * The CA may sign for the names of its {@link NameScope} only (the special-use names and the
 * platform's domain when it is made), written into its certificate as name constraints, so that
 * trusting it machine-wide does not let it, or whoever takes its key, pass for any other site. A CA
 * made by an earlier version carries no constraints: it is kept (clients trust it), and its load
 * logs how to replace it.
 * <p>
 * <b>Threading.</b> Thread-safe. Creation holds a lock per directory, in this JVM and across
 * processes ({@value #LOCK}), so two concurrent first uses make one CA. The key is written
 * before the certificate, each atomically, so a crash leaves no CA (made again on next use) or a
 * whole one.
 */
public final class LocalCertificateAuthority {

    static final String CERTIFICATE = "ca.pem";
    static final String KEY = "ca-key.pem";
    static final String LOCK = "ca.lock";
    static final Duration VALIDITY = Duration.ofDays(3650);

    private static final Logger LOG = LoggerFactory.getLogger(LocalCertificateAuthority.class);
    /** FileLock is per process; this keeps two threads of this JVM from both asking for it. */
    private static final ConcurrentMap<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path directory;
    private final NameScope scope;
    private volatile Certificates.Authority loaded;

    /** A CA in {@code directory} that, when made, may sign for the special-use names only. */
    public LocalCertificateAuthority(Path directory) {
        this(directory, null);
    }

    /**
     * A CA in {@code directory} that, when made, may sign for the special-use names and for
     * {@code domain} (the platform's) with its subdomains; null for none.
     */
    public LocalCertificateAuthority(Path directory, String domain) {
        this.directory = directory.toAbsolutePath().normalize();
        this.scope = NameScope.of(domain);
    }

    /**
     * The names the CA may sign for, as its certificate says; empty for a CA of an earlier
     * version, made without name constraints.
     */
    Optional<NameScope> scope() throws CertificateException {
        try {
            return NameScope.of(authority().certificate());
        } catch (IOException e) {
            throw new CertificateException("The local CA's name constraints are unreadable: " + e.getMessage(), e);
        }
    }

    /** The file of the CA certificate, for clients to trust (it may not exist before first use). */
    public Path certificateFile() {
        return directory.resolve(CERTIFICATE);
    }

    /** The CA certificate as PEM text, creating the CA if there is none yet. */
    public String certificatePem() throws CertificateException {
        authority();
        return read(certificateFile());
    }

    /** The CA, loaded from the directory or created there on first use. */
    Certificates.Authority authority() throws CertificateException {
        Certificates.Authority ca = loaded;
        if (ca == null) {
            synchronized (JVM_LOCKS.computeIfAbsent(directory, d -> new Object())) {
                ca = loaded;
                if (ca == null) {
                    ca = loadOrCreateLocked();
                    loaded = ca;
                }
            }
        }
        return ca;
    }

    private Certificates.Authority loadOrCreateLocked() throws CertificateException {
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock lock = channel.lock()) {
                if (Files.exists(certificateFile())) {
                    return load();
                }
                return create();
            }
        } catch (IOException e) {
            throw new CertificateException("Cannot use the local CA in " + directory + ": " + e.getMessage(), e);
        }
    }

    private Certificates.Authority load() throws IOException, CertificateException {
        X509Certificate certificate = read(certificateFile(), Pem::certificates).get(0);
        Path keyFile = directory.resolve(KEY);
        if (!Files.exists(keyFile)) {
            throw new CertificateException("The local CA in " + directory + " has its certificate but no " + KEY
                    + "; restore the key from a backup, or remove " + CERTIFICATE + " to make a new CA (clients"
                    + " must then trust the new one).");
        }
        PrivateKey key = read(keyFile, Pem::privateKey);
        if (!Pem.matches(key, certificate)) {
            throw new CertificateException("The local CA in " + directory + ": " + KEY + " is not the key of "
                    + CERTIFICATE + "; restore both from the same backup, or remove both to make a new CA.");
        }
        if (certificate.getNotAfter().toInstant().isBefore(Instant.now())) {
            throw new CertificateException("The local CA in " + directory + " expired on "
                    + certificate.getNotAfter().toInstant() + "; remove " + CERTIFICATE + " and " + KEY
                    + " to make a new one (clients must then trust the new one).");
        }
        if (NameScope.of(certificate).isEmpty()) {
            LOG.warn("The local CA in {} has no name constraints (it was made by an earlier version): a client that"
                    + " trusts it trusts whatever it signs, for any site. To replace it with one limited to {}, remove {}"
                    + " and {} there, then have clients trust the new CA (cert:ca) instead of the old one",
                    directory, scope.permitted(), CERTIFICATE, KEY);
        }
        return new Certificates.Authority(certificate, key);
    }

    private Certificates.Authority create() throws IOException, CertificateException {
        String name = "Hop3 local CA " + hostName();
        try {
            KeyPair keys = Certificates.newKeyPair();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X509Certificate certificate = Certificates.authority(keys, name, scope, now.minus(Duration.ofHours(1)),
                    now.plus(VALIDITY));
            AtomicFiles.write(directory.resolve(KEY), Pem.privateKey(keys.getPrivate()), AtomicFiles.PRIVATE);
            AtomicFiles.write(certificateFile(), Pem.certificates(certificate), AtomicFiles.PUBLIC);
            LOG.info("Created the local CA '{}' in {}, valid until {}, for names under {}", name, directory,
                    certificate.getNotAfter().toInstant(), scope.permitted());
            return new Certificates.Authority(certificate, keys.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("Cannot create the local CA: " + e.getMessage(), e);
        }
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    /** The PEM content of {@code file} as {@code parser} reads it; an unreadable file is an IOException. */
    private static <T> T read(Path file, Function<String, T> parser) throws IOException {
        try {
            return parser.apply(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is unusable: " + e.getMessage(), e);
        }
    }


    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String read(Path file) throws CertificateException {
        try {
            return Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new CertificateException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
