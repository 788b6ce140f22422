package cloud.hop3.tls.acme;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.CertificateIssuer;
import cloud.hop3.api.tls.IssuedCertificate;
import cloud.hop3.api.tls.TlsSupport;

/**
 * Issues publicly trusted certificates from an ACME authority (RFC 8555; Let's Encrypt by
 * default) with acme4j. Host names are proven with HTTP-01 challenges, whose answers core's
 * {@link TlsSupport} has the active proxy serve on port 80 of every routed host. The account key
 * and the account URL per authority are kept in {@code TlsSupport.stateDirectory("acme")}
 * ({@link AcmeAccount}); each certificate gets a new EC P-256 key ({@link HttpChallengeOrder}).
 * <p>
 * A configuration that is wrong (a malformed directory URL, say) does not stop the component:
 * it is logged, and every issuance fails with the same message, which core reports.
 * <p>
 * <b>Threading.</b> {@link #issue} may run on several threads at once; account registration is
 * serialized by {@link AcmeAccount}.
 */
// ranked below the self-signed issuer: installing this plugin does not move every app to an ACME
// authority that is not configured yet; the operator chooses it with issuer = acme in cloud.hop3.core
@Component(service = CertificateIssuer.class, property = {CertificateIssuer.NAME_PROPERTY + "=" + AcmeIssuer.NAME,
        "service.ranking:Integer=-10"},
        configurationPid = AcmeIssuer.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AcmeIssuer.Config.class)
public class AcmeIssuer implements CertificateIssuer {

    static final String NAME = "acme";
    static final String PID = "cloud.hop3.tls.acme";
    static final String LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";

    private static final Logger LOG = LoggerFactory.getLogger(AcmeIssuer.class);
    private static final String ACCOUNT_DOES_NOT_EXIST = "urn:ietf:params:acme:error:accountDoesNotExist";

    @ObjectClassDefinition(id = PID, name = "Hop3 ACME issuer",
            description = "Issues publicly trusted certificates from an ACME authority such as Let's Encrypt,"
                    + " proving each host name with an HTTP-01 challenge on port 80.")
    public @interface Config {

        @AttributeDefinition(name = "Directory URL",
                description = "The ACME directory URL of the authority. The default is Let's Encrypt's production"
                        + " directory; https://acme-staging-v02.api.letsencrypt.org/directory is its staging one,"
                        + " for trials without rate limits (its certificates are not trusted by browsers).")
        String directoryUrl() default LETS_ENCRYPT;

        @AttributeDefinition(name = "Contact e-mail",
                description = "E-mail address given to the authority when the account is registered, for notices"
                        + " about the account and expiring certificates. Empty means none.", required = false)
        String email() default "";

        @AttributeDefinition(name = "Accept terms of service",
                description = "Whether you agree to the authority's terms of service. Authorities that publish"
                        + " terms (Let's Encrypt does) register no account until this is true.")
        boolean acceptTerms() default false;

        @AttributeDefinition(name = "Trust store",
                description = "Absolute path of a PEM file of CA certificates that the ACME server's HTTPS"
                        + " certificate is checked against instead of the JDK's trusted roots (for a test"
                        + " authority such as Pebble, or a company CA). Empty means the JDK's roots.", required = false)
        String trustStore() default "";

        @AttributeDefinition(name = "Challenge timeout", min = "1",
                description = "Longest time, in seconds, that the authority may take to validate the challenge of one host name.")
        int challengeTimeoutSeconds() default 120;

        @AttributeDefinition(name = "Order timeout", min = "1",
                description = "Longest time, in seconds, that the authority may take to make the order ready once the"
                        + " challenges passed, and then to issue the certificate.")
        int orderTimeoutSeconds() default 120;

        @AttributeDefinition(name = "Renew before", min = "1",
                description = "How many days before it expires a certificate is renewed.")
        int renewBeforeDays() default 30;
    }

    private final TlsSupport tls;
    private final AcmeSettings settings;
    private final String configurationError;
    private final AcmeAccount account;

    @Activate
    public AcmeIssuer(Config config, @Reference TlsSupport tls) {
        this.tls = tls;
        AcmeSettings checked = null;
        String error = null;
        try {
            checked = AcmeSettings.from(config);
        } catch (IllegalArgumentException e) {
            error = "The ACME issuer is misconfigured: " + e.getMessage();
            LOG.error("{}; certificates will not be issued until etc/{}.cfg is fixed", error, PID);
        }
        this.settings = checked;
        this.configurationError = error;
        this.account = new AcmeAccount(tls.stateDirectory(NAME));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean publiclyTrusted() {
        return true;
    }

    @Override
    public Duration renewBefore() {
        return settings == null ? CertificateIssuer.super.renewBefore() : settings.renewBefore();
    }

    @Override
    public IssuedCertificate issue(Set<HostName> hosts, Path directory) throws CertificateException, InterruptedException {
        if (settings == null) {
            throw new CertificateException(configurationError);
        }
        Set<String> names = checkHosts(hosts);
        Instant start = Instant.now();
        // The exchange runs on a thread of its own and this one waits for it: a request that does
        // not see an interrupt (the JDK's HTTP client has been seen to lose one) must not keep the
        // caller, nor the challenges, past a stop.
        AtomicReference<HttpChallengeOrder> current = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        FutureTask<IssuedCertificate> exchange = new FutureTask<>(() -> {
            Thread.currentThread().setContextClassLoader(AcmeIssuer.class.getClassLoader());
            return issueOnce(names, directory, true, current, stopping);
        });
        Thread worker = new Thread(exchange, "hop3-acme-" + names.iterator().next());
        worker.setDaemon(true);
        worker.start();
        try {
            IssuedCertificate issued = exchange.get();
            LOG.info("Issued a certificate for {} by {} in {} ms, valid until {}", String.join(", ", names),
                    settings.directory(), Duration.between(start, Instant.now()).toMillis(), issued.notAfter());
            return issued;
        } catch (InterruptedException e) {
            stopping.set(true); // before reading the order: an order made after this sees it and stops itself
            stop(exchange, current.get(), directory);
            throw new InterruptedException("Stopped while certifying " + String.join(", ", names));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CertificateException failure) {
                LOG.warn("No certificate for {}: {}", String.join(", ", names), failure.getMessage());
                throw failure;
            }
            if (cause instanceof InterruptedException stopped) {
                throw stopped;
            }
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new CertificateException("The ACME exchange for " + String.join(", ", names) + " failed: " + cause, cause);
        }
    }

    /** Stops an exchange: its thread is interrupted, its challenges withdrawn, and a certificate it wrote removed. */
    private static void stop(FutureTask<IssuedCertificate> exchange, HttpChallengeOrder order, Path directory) {
        exchange.cancel(true);
        if (order != null && order.stop()) {
            try {
                PemFiles.deleteCertificate(directory);
            } catch (IOException e) {
                LOG.error("A certificate written as its issuance was stopped could not be removed from {}: {}", directory,
                        e.getMessage());
            }
        }
    }

    private IssuedCertificate issueOnce(Set<String> hosts, Path directory, boolean mayRegisterAgain,
                                        AtomicReference<HttpChallengeOrder> current,
                                        java.util.concurrent.atomic.AtomicBoolean stopping)
            throws CertificateException, InterruptedException {
        try {
            Session session = new Session(settings.directory(), TrustStoreProvider.trusting(settings.trustStore()));
            Login login = account.login(session, settings);
            HttpChallengeOrder order = new HttpChallengeOrder(login, tls, settings);
            current.set(order);
            if (stopping.get()) {
                order.stop(); // the caller stopped while the account logged in
            }
            return order.issue(hosts, directory);
        } catch (AcmeServerException e) {
            stopIfInterrupted(e, hosts);
            if (mayRegisterAgain && ACCOUNT_DOES_NOT_EXIST.equals(String.valueOf(e.getType()))) {
                LOG.warn("The ACME account kept for {} no longer exists there; registering a new one", settings.directory());
                account.forget(settings);
                return issueOnce(hosts, directory, false, current, stopping);
            }
            throw new CertificateException("The ACME authority at " + settings.directory() + " refused the certificate for "
                    + String.join(", ", hosts) + ": " + HttpChallengeOrder.detail(e.getProblem()), e);
        } catch (AcmeNetworkException e) {
            stopIfInterrupted(e, hosts);
            throw new CertificateException("Cannot reach the ACME authority at " + settings.directory() + ": "
                    + networkReason(e), e);
        } catch (AcmeException e) {
            stopIfInterrupted(e, hosts);
            throw new CertificateException("The ACME exchange with " + settings.directory() + " for "
                    + String.join(", ", hosts) + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new CertificateException("The ACME issuer is misconfigured: " + e.getMessage(), e);
        }
    }

    /**
     * Throws {@link InterruptedException} when {@code e} comes from an interrupt: acme4j turns an
     * interrupted request into a network error, without keeping the thread's interrupt status.
     */
    private static void stopIfInterrupted(AcmeException e, Set<String> hosts) throws InterruptedException {
        boolean interrupted = Thread.interrupted();
        for (Throwable cause = e; cause != null && !interrupted; cause = cause.getCause() == cause ? null : cause.getCause()) {
            interrupted = cause instanceof InterruptedException;
        }
        if (interrupted) {
            InterruptedException stop = new InterruptedException("Stopped while certifying " + String.join(", ", hosts));
            stop.initCause(e);
            throw stop;
        }
    }

    /** The names in a stable order ({@link HostName} has checked them; a wildcard cannot be one). */
    private static Set<String> checkHosts(Set<HostName> hosts) throws CertificateException {
        if (hosts == null || hosts.isEmpty()) {
            throw new CertificateException("No host name to certify");
        }
        Set<String> names = new TreeSet<>();
        hosts.forEach(host -> names.add(host.value()));
        return names;
    }

    /** Why the authority could not be reached, in words an operator can act on. */
    static String networkReason(Throwable e) {
        String message = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (cause instanceof java.net.UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
            if (cause instanceof java.net.http.HttpTimeoutException) {
                return "no answer in time";
            }
            if (cause instanceof javax.net.ssl.SSLHandshakeException) {
                return "its HTTPS certificate is not trusted (" + cause.getMessage() + "); for a private authority, set"
                        + " trustStore in etc/" + PID + ".cfg to the PEM file of its CA";
            }
            if (message == null && cause != e && cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        return message != null ? message : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
