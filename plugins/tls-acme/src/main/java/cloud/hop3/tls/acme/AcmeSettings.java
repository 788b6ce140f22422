package cloud.hop3.tls.acme;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The issuer's configuration, checked: built once per (re)configuration by {@link AcmeIssuer}
 * from its {@link AcmeIssuer.Config}, immutable.
 *
 * @param directory        the ACME directory URL
 * @param email            the account's contact address, if any
 * @param acceptTerms      whether the operator agreed to the authority's terms of service
 * @param trustStore       PEM file of the CA certificates that the ACME server's HTTPS is checked
 *                         against, instead of the JDK's trusted roots
 * @param challengeTimeout longest wait for the authority to validate one challenge
 * @param orderTimeout     longest wait for the order to become ready, then for the certificate
 * @param renewBefore      how long before expiry a certificate is renewed
 */
record AcmeSettings(URI directory, Optional<String> email, boolean acceptTerms, Optional<Path> trustStore,
        Duration challengeTimeout, Duration orderTimeout, Duration renewBefore) {

    /**
     * Checks {@code config}.
     *
     * @throws IllegalArgumentException naming the setting that is wrong and why
     */
    static AcmeSettings from(AcmeIssuer.Config config) {
        return new AcmeSettings(directory(config.directoryUrl()), email(config.email()), config.acceptTerms(),
                trustStore(config.trustStore()),
                positive("challengeTimeoutSeconds", config.challengeTimeoutSeconds(), Duration::ofSeconds),
                positive("orderTimeoutSeconds", config.orderTimeoutSeconds(), Duration::ofSeconds),
                positive("renewBeforeDays", config.renewBeforeDays(), Duration::ofDays));
    }

    private static URI directory(String value) {
        String url = value == null ? "" : value.strip();
        String problem = "directoryUrl '" + url + "' of " + AcmeIssuer.PID
                + " is not the https:// URL of an ACME directory";
        if (url.isEmpty()) {
            throw new IllegalArgumentException("directoryUrl of " + AcmeIssuer.PID
                    + " is empty; set it to the ACME directory URL of the authority, for example " + AcmeIssuer.LETS_ENCRYPT);
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            // RFC 8555 (6.1): ACME runs over HTTPS only
            if (!scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException(problem);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(problem + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> email(String value) {
        String email = value == null ? "" : value.strip();
        if (email.regionMatches(true, 0, "mailto:", 0, 7)) {
            email = email.substring(7);
        }
        if (email.isEmpty()) {
            return Optional.empty();
        }
        if (!email.matches("[^@\\s,;:]+@[^@\\s,;:]+\\.[^@\\s,;:]+")) {
            throw new IllegalArgumentException("email '" + email + "' of " + AcmeIssuer.PID
                    + " is not an e-mail address (name@domain)");
        }
        return Optional.of(email);
    }

    private static Optional<Path> trustStore(String value) {
        String file = value == null ? "" : value.strip();
        if (file.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(file);
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("trustStore '" + file + "' of " + AcmeIssuer.PID
                    + " is not an absolute path to a PEM file of CA certificates");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("trustStore " + file + " of " + AcmeIssuer.PID
                    + " does not exist or cannot be read");
        }
        return Optional.of(path);
    }

    private static Duration positive(String name, int value, java.util.function.LongFunction<Duration> unit) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " of " + AcmeIssuer.PID + " must be a positive number, not " + value);
        }
        return unit.apply(value);
    }
}
