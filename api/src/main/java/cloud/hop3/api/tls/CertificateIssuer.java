package cloud.hop3.api.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

import cloud.hop3.api.app.HostName;

/**
 * Issues TLS certificates for the host names of apps. Registered with the service property
 * {@value #NAME_PROPERTY}; the one used is chosen by core's configuration (self-signed by
 * default, ACME in production).
 * <p>
 * <b>Callers.</b> Core's certificate scheduler, on a worker thread (issuance may take seconds to
 * minutes, for example ACME challenges); never on a deploy's critical path.
 * <p>
 * <b>Idempotence.</b> Issuing again for the same hosts gives a fresh certificate and leaves the
 * previous files usable until core switches to the new ones.
 * <p>
 * <b>Going away.</b> Certificates already issued stay valid and served; renewal waits until an
 * issuer is registered again, and a renewal that comes due meanwhile is reported as failing.
 */
@ConsumerType
public interface CertificateIssuer {

    /** Service property holding the issuer's name. */
    String NAME_PROPERTY = "hop3.issuer";

    /** Short, stable name ("selfsigned", "acme"). */
    String name();

    /**
     * Issues a certificate for {@code hosts} into {@code directory}. The names are valid already
     * ({@link HostName} checks them), so an issuer does not check them again.
     *
     * @throws CertificateException with the reason (for example a failed ACME challenge)
     * @throws InterruptedException when the platform shuts down
     */
    IssuedCertificate issue(Set<HostName> hosts, Path directory) throws CertificateException, InterruptedException;

    /** How long before expiry a certificate of this issuer is renewed. */
    default Duration renewBefore() {
        return Duration.ofDays(30);
    }

    /**
     * Whether browsers trust this issuer's certificates without being told to (an ACME
     * authority). Apps with such a certificate have plain HTTP redirected to HTTPS unless they
     * turn it off; a self-signed certificate does not turn the redirect on by itself.
     */
    default boolean publiclyTrusted() {
        return false;
    }
}
