package cloud.hop3.tls.selfsigned;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.platform.Platform;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.CertificateIssuer;
import cloud.hop3.api.tls.IssuedCertificate;
import cloud.hop3.api.tls.TlsSupport;
import cloud.hop3.plugin.support.files.AtomicFiles;
import cloud.hop3.plugin.support.pem.Pem;

/**
 * Issues certificates signed by the {@link LocalCertificateAuthority} kept in
 * {@link TlsSupport#stateDirectory(String) stateDirectory("selfsigned")}: browsers and clients
 * trust them once told to trust that CA ({@code cert:ca}). Each issue makes a fresh EC P-256 key;
 * the certificate names every host as a DNS name, starts an hour in the past (clock skew) and is
 * valid for {@code validityDays}, at most until the CA expires. Names the CA may not sign for (see
 * {@link NameScope}) are refused, with the way out in the message.
 * <p>
 * <b>Callers.</b> Core's certificate scheduler, on a worker thread; thread-safe.
 */
@Component(service = CertificateIssuer.class, property = CertificateIssuer.NAME_PROPERTY + "=" + SelfSignedIssuer.NAME,
        configurationPid = SelfSignedIssuer.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SelfSignedIssuer.Config.class)
public class SelfSignedIssuer implements CertificateIssuer {

    /** The issuer's name, also the name of its state directory. */
    public static final String NAME = "selfsigned";
    static final String PID = "cloud.hop3.tls.selfsigned";
    static final String CHAIN = "chain.pem";
    static final String KEY = "key.pem";
    static final Duration CLOCK_SKEW = Duration.ofHours(1);
    private static final int DEFAULT_VALIDITY_DAYS = 90;
    private static final int DEFAULT_RENEW_BEFORE_DAYS = 30;

    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedIssuer.class);

    @ObjectClassDefinition(id = PID, name = "Hop3 self-signed certificates",
            description = "Issues certificates signed by a local certificate authority that Hop3 creates on first"
                    + " use. Clients trust them once they trust that CA (cert:ca prints it).")
    public @interface Config {

        @AttributeDefinition(name = "Validity", min = "1",
                description = "How long a certificate is valid, in days, counted from when it is issued.")
        int validityDays() default DEFAULT_VALIDITY_DAYS;

        @AttributeDefinition(name = "Renew before", min = "0",
                description = "How long before a certificate expires it is renewed, in days; less than the validity.")
        int renewBeforeDays() default DEFAULT_RENEW_BEFORE_DAYS;
    }

    private final Supplier<LocalCertificateAuthority> authorities;
    private final Duration validity;
    private final Duration renewBefore;
    private volatile LocalCertificateAuthority authority;

    /**
     * The local CA is opened (or created, for the platform's domain as it is then) by the first
     * issue, not on activation.
     */
    @Activate
    public SelfSignedIssuer(@Reference TlsSupport tls, @Reference Platform platform, Config config) {
        this(() -> new LocalCertificateAuthority(tls.stateDirectory(NAME), platform.domain().value()),
                config.validityDays(), config.renewBeforeDays());
    }

    SelfSignedIssuer(LocalCertificateAuthority authority, int validityDays, int renewBeforeDays) {
        this(() -> authority, validityDays, renewBeforeDays);
    }

    private SelfSignedIssuer(Supplier<LocalCertificateAuthority> authorities, int validityDays, int renewBeforeDays) {
        if (validityDays < 1) {
            LOG.warn("{}: validityDays is {}, but must be at least 1; using {}", PID, validityDays, DEFAULT_VALIDITY_DAYS);
            validityDays = DEFAULT_VALIDITY_DAYS;
        }
        if (renewBeforeDays < 0 || renewBeforeDays >= validityDays) {
            int fallback = Math.min(DEFAULT_RENEW_BEFORE_DAYS, validityDays / 3);
            LOG.warn("{}: renewBeforeDays is {}, but must be from 0 to less than validityDays ({}); using {}", PID,
                    renewBeforeDays, validityDays, fallback);
            renewBeforeDays = fallback;
        }
        this.authorities = authorities;
        this.validity = Duration.ofDays(validityDays);
        this.renewBefore = Duration.ofDays(renewBeforeDays);
    }

    private LocalCertificateAuthority authority() throws CertificateException {
        LocalCertificateAuthority current = authority;
        if (current == null) {
            try {
                current = authorities.get();
            } catch (RuntimeException e) {
                throw new CertificateException("No state directory for the self-signed issuer: " + e.getMessage(), e);
            }
            authority = current;
        }
        return current;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Duration renewBefore() {
        return renewBefore;
    }

    @Override
    public boolean publiclyTrusted() {
        return false;
    }

    /**
     * Writes {@value #CHAIN} (the certificate, then the CA's) and {@value #KEY} (PKCS#8, mode 600)
     * into {@code directory}, each atomically, creating the directory when missing.
     */
    @Override
    public IssuedCertificate issue(Set<HostName> hosts, Path directory) throws CertificateException {
        if (hosts.isEmpty()) {
            throw new CertificateException("No host names to issue a certificate for.");
        }
        List<String> names = hosts.stream().map(HostName::value).toList();
        Certificates.Authority ca = authority().authority();
        Optional<NameScope> scope = authority().scope();
        List<String> outside = names.stream().filter(n -> scope.isPresent() && !scope.get().covers(n)).toList();
        if (!outside.isEmpty()) {
            throw new CertificateException("The local CA signs only names under " + String.join(", ", scope.get().permitted())
                    + ", so that trusting it does not make it trusted for other sites; " + String.join(", ", outside)
                    + (outside.size() == 1 ? " is" : " are") + " outside. Serve public names with certificates from"
                    + " an ACME authority (the tls-acme plugin), or remove the domain from the app. If the platform's"
                    + " domain changed since the CA was made, remove " + LocalCertificateAuthority.CERTIFICATE + " and "
                    + LocalCertificateAuthority.KEY + " in " + authority().certificateFile().getParent()
                    + " to make a CA for the new one, and trust that instead.");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = now.plus(validity);
        Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        try {
            KeyPair keys = Certificates.newKeyPair();
            X509Certificate certificate = Certificates.server(ca, keys.getPublic(), names, now.minus(CLOCK_SKEW), notAfter);
            Files.createDirectories(directory);
            Path key = directory.resolve(KEY);
            Path chain = directory.resolve(CHAIN);
            AtomicFiles.write(key, Pem.privateKey(keys.getPrivate()), AtomicFiles.PRIVATE);
            AtomicFiles.write(chain, Pem.certificates(certificate, ca.certificate()), AtomicFiles.PUBLIC);
            LOG.info("Issued a self-signed certificate for {} into {}, valid until {}", String.join(", ", names),
                    directory, notAfter);
            return new IssuedCertificate(hosts, chain, key, notAfter);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("Cannot make a certificate for " + String.join(", ", names) + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new CertificateException("Cannot write the certificate for " + String.join(", ", names) + " into "
                    + directory + ": " + e.getMessage(), e);
        }
    }
}
