package cloud.hop3.api.tls;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What core offers certificate issuers: a place for their own state, and the HTTP-01 challenge
 * answers served by the active proxy. Implemented by core; one service.
 * <p>
 * <b>Callers.</b> {@link CertificateIssuer} plugins, from {@link CertificateIssuer#issue}.
 * Thread-safe.
 */
@ProviderType
public interface TlsSupport {

    /** URL path under which HTTP-01 challenge answers are served, on every routed host. */
    String CHALLENGE_PATH = "/.well-known/acme-challenge/";

    /**
     * A directory for the state of the issuer named {@code issuer} (a CA, an ACME account key),
     * under the platform's state directory: kept across restarts, updates and removals of the
     * plugin, and included in platform backups. Created when missing.
     *
     * @throws IllegalArgumentException when {@code issuer} is not a plain name (letters, digits, '-')
     */
    Path stateDirectory(String issuer);

    /**
     * Serves {@code content} as {@code text/plain} at {@value #CHALLENGE_PATH}{@code <token>} on
     * every host that the active proxy routes, over plain HTTP (never redirected to HTTPS), until
     * {@link #withdrawChallenge} is called. Returns once it is served.
     *
     * @throws IllegalArgumentException when {@code token} is not a base64url token
     * @throws CertificateException     when it cannot be stored
     */
    void publishChallenge(String token, String content) throws CertificateException;

    /** Stops serving a challenge answer; unknown tokens are ignored. */
    void withdrawChallenge(String token);
}
