package cloud.hop3.core.impl.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.tls.CertificateException;
import cloud.hop3.api.tls.TlsSupport;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformFacts;
import cloud.hop3.core.impl.platform.PlatformSettings;

/**
 * What certificate issuers use of core: a state directory each under {@code HOP3_HOME/tls}, and
 * the HTTP-01 answers, files in {@code HOP3_HOME/tls/challenges} that every route serves at
 * {@link TlsSupport#CHALLENGE_PATH}. References nothing, so that issuers can require it while
 * {@link Certificates} references them.
 */
@Component(service = TlsSupport.class, configurationPid = CoreConfig.PID)
public class IssuerSupport implements TlsSupport {

    private static final Logger LOG = LoggerFactory.getLogger(IssuerSupport.class);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,512}");

    private Path home;
    private Path challenges;

    /** For DS. */
    public IssuerSupport() {
    }

    /** For tests: state under {@code home}. */
    IssuerSupport(Path home) throws IOException {
        open(home);
    }

    @Activate
    void activate(CoreConfig config) throws IOException {
        open(PlatformSettings.resolve(config).home());
    }

    /**
     * A change of core's configuration restarts nothing: restarting would unregister
     * {@code TlsSupport} and restart the issuers that need it. The state directory is read once,
     * at activation ({@code AppCatalog} warns when it changes).
     */
    @Modified
    void modified(CoreConfig config) {
        // nothing here follows a configuration change
    }

    private void open(Path stateHome) throws IOException {
        home = stateHome;
        challenges = challengeDirectory(home);
        Files.createDirectories(challenges);
    }

    /** Where the challenge answers of the platform with state directory {@code home} are. */
    static Path challengeDirectory(Path home) {
        return home.resolve("tls").resolve("challenges");
    }

    /** Under {@code HOP3_HOME/tls/<issuer>}, by the rule of {@link PlatformFacts#stateDirectory}. */
    @Override
    public Path stateDirectory(String issuer) {
        return PlatformFacts.stateDirectory(home, PluginKind.CERTIFICATE_ISSUER, issuer);
    }

    @Override
    public void publishChallenge(String token, String content) throws CertificateException {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("'" + token + "' is not an ACME challenge token (base64url).");
        }
        Path file = challenges.resolve(token);
        Path temp = challenges.resolve("." + token + ".tmp");
        try {
            Files.writeString(temp, content == null ? "" : content, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new CertificateException("The state directory does not support atomic renames: " + challenges, e);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the answer was not stored either way
            }
            throw new CertificateException("Cannot store the challenge answer in " + challenges + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void withdrawChallenge(String token) {
        if (token != null && TOKEN.matcher(token).matches()) {
            try {
                Files.deleteIfExists(challenges.resolve(token));
            } catch (IOException e) {
                LOG.warn("Cannot remove the challenge answer {}: {}", token, e.getMessage());
            }
        }
    }
}
