package cloud.hop3.api.tls;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import cloud.hop3.api.app.AppName;

/**
 * An app's certificate as users see it ({@code cert:list}, {@code app:info}, the REST API).
 *
 * @param app         the app
 * @param issuer      who issued the certificate that serves; empty when none serves
 * @param hosts       the names it covers
 * @param notAfter    when it expires
 * @param renewAfter  when it comes due for renewal
 * @param wanted      the names the app answers to now (a certificate is due when they differ);
 *                    empty when the app is not served (not deployed, or stopped)
 * @param failure     why the last attempt failed, when it did
 * @param failedSince since when attempts fail
 * @param failures    failed attempts in a row
 * @param nextAttempt when the next attempt is due
 * @param trusted     whether the issuer is trusted by browsers without configuration
 */
public record CertificateStatus(AppName app, Optional<String> issuer, List<String> hosts, Optional<Instant> notAfter,
                                Optional<Instant> renewAfter, List<String> wanted, Optional<String> failure,
                                Optional<Instant> failedSince, int failures, Optional<Instant> nextAttempt,
                                boolean trusted) {

    public CertificateStatus {
        hosts = List.copyOf(hosts);
        wanted = List.copyOf(wanted);
    }

    /** Whether attempts to issue the app's certificate fail. */
    public boolean failing() {
        return failure.isPresent();
    }

    /** Whether a certificate serves and covers every name the app answers to. */
    public boolean covered() {
        return issuer.isPresent() && hosts.containsAll(wanted);
    }
}
