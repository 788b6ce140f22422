package cloud.hop3.core.impl.tls;

import java.time.Instant;
import java.util.List;

/**
 * What is stored about one app's certificate ({@code apps/<app>/tls/certificate.json}): the one
 * that serves, and how its last issuance went.
 *
 * @param issuer       name of the issuer of the certificate that serves; null before the first
 * @param trusted      whether that issuer is trusted by browsers without configuration
 * @param hosts        the names it covers
 * @param directory    its files' directory, relative to the app's {@code tls} directory
 * @param notAfter     when it expires
 * @param issued       when it was issued
 * @param failure      why the last attempt failed; null when it succeeded
 * @param failedSince  when the current run of failures started
 * @param failures     attempts failed in a row
 * @param nextAttempt  when the next attempt is due after a failure
 */
public record CertificateDocument(String issuer, boolean trusted, List<String> hosts, String directory, Instant notAfter,
                                  Instant issued, String failure, Instant failedSince, int failures,
                                  Instant nextAttempt) {

    public CertificateDocument {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }

    /** Nothing issued, nothing tried. */
    static CertificateDocument none() {
        return new CertificateDocument(null, false, List.of(), null, null, null, null, null, 0, null);
    }

    boolean hasCertificate() {
        return directory != null && notAfter != null;
    }

    CertificateDocument issued(String issuerName, boolean isTrusted, List<String> names, String dir, Instant expires,
                               Instant now) {
        return new CertificateDocument(issuerName, isTrusted, names, dir, expires, now, null, null, 0, null);
    }

    CertificateDocument failed(String reason, Instant now, Instant next) {
        return new CertificateDocument(issuer, trusted, hosts, directory, notAfter, issued, reason,
                failedSince == null ? now : failedSince, failures + 1, next);
    }
}
