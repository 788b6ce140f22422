package cloud.hop3.core.impl.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.secret.KeyRotation;
import cloud.hop3.api.secret.SecretKeys;
import cloud.hop3.core.impl.addon.AddonCatalog;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.audit.Audited;
import cloud.hop3.core.impl.process.LocalProcessDriver;
import cloud.hop3.core.impl.secret.SecretBox;

/**
 * Rotates the key of secrets at rest: a new key seals from the first step on, every app document
 * is then written again (under its app's lock, so a change running meanwhile is sealed with the new
 * key too), and the old keys are forgotten only when every document was. A rotation cut short
 * (an unreadable document, a stop of the platform) keeps the old keys, so nothing becomes
 * unreadable; running it again finishes the job. The add-ons' credentials are written again the
 * same way, each under its add-on's lock, and so are the process ledgers of the local driver (the
 * environments of running processes), before the old keys are retired.
 */
@Component(service = SecretKeys.class)
public class SecretRotation implements SecretKeys {

    private static final Logger LOG = LoggerFactory.getLogger(SecretRotation.class);

    @Reference
    private SecretBox secrets;

    @Reference
    private AppCatalog catalog;

    @Reference
    private AddonCatalog addons;

    /** The process ledgers hold the environments of running processes, config vars included. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LocalProcessDriver processes;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY)
    private volatile AuditService audit;

    /** For DS. */
    public SecretRotation() {
    }

    /** For tests. */
    public SecretRotation(SecretBox secrets, AppCatalog catalog, AddonCatalog addons) {
        this.secrets = secrets;
        this.catalog = catalog;
        this.addons = addons;
    }

    @Override
    public String currentKey() {
        return secrets.currentKey();
    }

    @Override
    public KeyRotation rotate() {
        return Audited.run(audit, "platform.rotate-key", "platform", List.of(), this::rotateNow);
    }

    private synchronized KeyRotation rotateNow() {
        try {
            String key = secrets.addKey();
            int documents = 0;
            List<String> problems = new ArrayList<>();
            for (AppName app : catalog.names()) {
                try {
                    catalog.reseal(app);
                    documents++;
                } catch (NoSuchElementException e) {
                    // destroyed meanwhile: nothing of it is left to re-encrypt
                } catch (RuntimeException e) {
                    problems.add("app " + app + ": " + e.getMessage());
                    LOG.warn("App {}: its config vars could not be re-encrypted with key {}: {}", app, key, e.getMessage());
                }
            }
            documents += addons.reseal(problems);
            LocalProcessDriver driver = processes;
            if (driver != null) {
                try {
                    driver.resealLedgers();
                } catch (IOException | RuntimeException e) {
                    problems.add("process ledgers: " + e.getMessage());
                    LOG.warn("The process ledgers could not be re-encrypted with key {}: {}", key, e.getMessage());
                }
            }
            List<String> retired = problems.isEmpty() ? secrets.retireOldKeys() : List.of();
            return new KeyRotation(key, documents, retired, problems);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the keys of secrets at rest: " + e.getMessage(), e);
        }
    }
}
