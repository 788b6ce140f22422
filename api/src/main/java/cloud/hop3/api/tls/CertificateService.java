package cloud.hop3.api.tls;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import cloud.hop3.api.app.AppName;

/**
 * The apps' TLS certificates as the shell, the REST API and the dashboard see them: which one
 * serves, when it expires and renews, and why issuing fails when it does. Implemented by core,
 * which issues and renews certificates on its own; this service only shows them and renews one on
 * demand.
 * <p>
 * <b>Callers.</b> Front ends, from any thread; thread-safe. {@link #renew} blocks while the issuer
 * works (an ACME challenge may take a minute).
 */
@ProviderType
public interface CertificateService {

    /** The certificate of every app, sorted by app name. */
    List<CertificateStatus> list();

    /**
     * The certificate of one app.
     *
     * @throws java.util.NoSuchElementException when there is no such app
     */
    CertificateStatus status(AppName app);

    /**
     * Issues a new certificate for the app now, for every host name it answers to; the current
     * one keeps serving until the new one is stored.
     *
     * @return the certificate that serves afterwards
     * @throws java.util.NoSuchElementException when there is no such app
     * @throws IllegalStateException            when the app is not served (not deployed, or stopped)
     * @throws CertificateException             when no issuer is installed or issuing failed, with
     *                                          the reason
     * @throws InterruptedException             when the platform shuts down meanwhile
     */
    CertificateStatus renew(AppName app) throws CertificateException, InterruptedException;
}
