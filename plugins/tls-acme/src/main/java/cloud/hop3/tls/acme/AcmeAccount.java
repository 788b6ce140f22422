package cloud.hop3.tls.acme;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import java.util.Properties;

import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.tls.CertificateException;

/**
 * The ACME account of this platform, kept in the issuer's state directory: one key pair
 * ({@value #KEY_FILE}, PEM, created on first use and then kept), and the URL of the account
 * registered with that key at each directory URL ({@value #ACCOUNTS_FILE}), so that an account is
 * registered once per authority and then only logged into.
 * <p>
 * <b>Callers.</b> {@link AcmeIssuer#issue}, on the certificate scheduler's threads; the methods are
 * synchronized, so concurrent issuances register one account.
 */
final class AcmeAccount {

    static final String KEY_FILE = "account-key.pem";
    static final String ACCOUNTS_FILE = "accounts.properties";

    private static final Logger LOG = LoggerFactory.getLogger(AcmeAccount.class);

    private final Path directory;

    AcmeAccount(Path directory) {
        this.directory = directory;
    }

    /**
     * Logs into the account at {@code session}'s authority, registering it first when this key
     * has no account there yet.
     *
     * @throws CertificateException when the terms of service are not accepted, or the state cannot be kept
     * @throws AcmeException        when the authority refuses or cannot be reached
     */
    synchronized Login login(Session session, AcmeSettings settings) throws CertificateException, AcmeException {
        KeyPair key = keyPair();
        String directoryUrl = settings.directory().toString();
        Properties accounts = accounts();
        String known = accounts.getProperty(directoryUrl);
        if (known != null) {
            try {
                return session.login(new URI(known).toURL(), key);
            } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
                LOG.warn("Ignoring the unreadable account URL {} kept for {}", known, directoryUrl);
            }
        }
        Optional<URI> terms = session.getMetadata().getTermsOfService();
        if (terms.isPresent() && !settings.acceptTerms()) {
            throw new CertificateException("The ACME authority at " + directoryUrl + " asks to agree to its terms of service ("
                    + terms.get() + "): read them, then set acceptTerms = true in etc/" + AcmeIssuer.PID + ".cfg");
        }
        AccountBuilder builder = new AccountBuilder().useKeyPair(key);
        if (settings.acceptTerms()) {
            builder.agreeToTermsOfService();
        }
        settings.email().ifPresent(builder::addEmail);
        Login login = builder.createLogin(session);
        URL location = login.getAccountLocation();
        accounts.setProperty(directoryUrl, location.toString());
        store(ACCOUNTS_FILE, out -> accounts.store(out, "ACME account URL per directory URL, for the key in " + KEY_FILE));
        LOG.info("Registered ACME account {} at {}", location, directoryUrl);
        return login;
    }

    /** Forgets the account kept for {@code settings}' authority (it no longer exists there). */
    synchronized void forget(AcmeSettings settings) throws CertificateException {
        Properties accounts = accounts();
        if (accounts.remove(settings.directory().toString()) != null) {
            store(ACCOUNTS_FILE, out -> accounts.store(out, "ACME account URL per directory URL, for the key in " + KEY_FILE));
        }
    }

    private KeyPair keyPair() throws CertificateException {
        Path file = directory.resolve(KEY_FILE);
        try {
            if (Files.exists(file)) {
                return PemFiles.readEcKeyPair(Files.readString(file, StandardCharsets.US_ASCII));
            }
            KeyPair key = PemFiles.newEcKeyPair();
            store(KEY_FILE, out -> out.write(PemFiles.keyPair(key)));
            LOG.info("Created the ACME account key {}", file);
            return key;
        } catch (IOException | RuntimeException e) {
            throw new CertificateException("Cannot read the ACME account key " + file + ": " + e.getMessage(), e);
        }
    }

    private Properties accounts() throws CertificateException {
        Properties accounts = new Properties();
        Path file = directory.resolve(ACCOUNTS_FILE);
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                accounts.load(in);
            } catch (IOException e) {
                throw new CertificateException("Cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return accounts;
    }

    private interface Content {
        void write(Writer out) throws IOException;
    }

    private void store(String name, Content content) throws CertificateException {
        Path file = directory.resolve(name);
        try {
            StringWriter text = new StringWriter();
            content.write(text);
            PemFiles.writePrivate(file, text.toString());
        } catch (IOException e) {
            throw new CertificateException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
