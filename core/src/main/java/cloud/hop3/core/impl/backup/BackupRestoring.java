package cloud.hop3.core.impl.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.core.impl.addon.AddonBackups;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.core.impl.git.RepositoryBundles;
import cloud.hop3.core.impl.isolation.AppUser;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.core.impl.state.DocumentStore;

/**
 * Puts the parts of a verified backup, in a scratch directory, back into an app: its repository,
 * its config vars, domains, formation and limits, its data directory, and the data of its
 * add-ons, each into the add-on of the same name or, for a copy under a new name, into a new
 * add-on named after the new app, attached under the same prefix. The caller holds the app's
 * deploy queue and deploys afterwards.
 */
final class BackupRestoring {

    private final AppCatalog apps;
    private final AddonBackups addons;
    private final RepositoryBundles bundles;
    private final AppUsers users;

    BackupRestoring(AppCatalog apps, AddonBackups addons, RepositoryBundles bundles, AppUsers users) {
        this.apps = apps;
        this.addons = addons;
        this.bundles = bundles;
        this.users = users;
    }

    /** The app document the backup holds, with its config opened. */
    AppDocument state(BackupManifest manifest, Path dir) throws BackupException {
        if (manifest.part(BackupTaking.STATE) == null) {
            throw new BackupException("Backup " + manifest.id() + " has no " + BackupTaking.STATE + " part.");
        }
        try {
            AppDocument stored = new DocumentStore(dir).read(Path.of(BackupTaking.STATE), AppDocument.class)
                    .orElseThrow(() -> new IOException("empty"));
            if (!stored.name().equals(manifest.app().value())) {
                throw new BackupException("Backup " + manifest.id() + " holds the state of app '" + stored.name()
                        + "', not of " + manifest.app() + ".");
            }
            return apps.opened(stored);
        } catch (IOException e) {
            throw new BackupException("The app state in backup " + manifest.id() + " cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new BackupException("The config vars in backup " + manifest.id() + " cannot be decrypted with this"
                    + " installation's keys: " + e.getMessage(), e);
        }
    }

    /** The add-on that receives the data of {@code original} when restoring {@code from} as {@code to}. */
    static AddonName addonFor(String original, AppName from, AppName to) {
        if (from.equals(to)) {
            return AddonName.of(original);
        }
        String base = original.startsWith(from.value() + "-") ? original.substring(from.value().length() + 1) : original;
        return AddonName.of(to.value() + "-" + base);
    }

    /** Restores the parts into {@code target} (which exists). */
    void restore(BackupManifest manifest, Path dir, AppDocument state, AppName target, BuildLog log)
            throws BackupException, InterruptedException {
        boolean copy = !target.equals(manifest.app());
        try {
            AppUser user = users.ensure(target);
            if (manifest.part(BackupTaking.REPOSITORY) != null) {
                log.step("Restoring the repository");
                try (InputStream in = Files.newInputStream(dir.resolve(BackupTaking.REPOSITORY))) {
                    bundles.restore(target, in);
                }
            }
            if (manifest.part(BackupTaking.DATA) != null) {
                log.step("Restoring the data directory");
                DataArchive.restore(dir.resolve(BackupTaking.DATA), apps.directory(target).resolve("data"), user);
            }
            Map<String, String> variables = new LinkedHashMap<>();
            for (BackupPart p : manifest.parts()) {
                if (!BackupTaking.ADDON.equals(p.attributes().get(BackupTaking.KIND))) {
                    continue;
                }
                AddonName addon = addonFor(p.attributes().get(BackupTaking.ADDON), manifest.app(), target);
                String type = p.attributes().get(BackupTaking.TYPE);
                log.step("Restoring add-on " + addon + " (" + type + ")");
                try (InputStream in = Files.newInputStream(dir.resolve(p.name()))) {
                    variables.putAll(addons.restore(addon, type, in, target, p.attributes().get(BackupTaking.PREFIX)));
                } catch (AddonException e) {
                    throw new BackupException("Add-on " + addon + " could not be restored: " + e.getMessage(), e);
                }
            }
            Map<String, String> config = new LinkedHashMap<>(state.config());
            config.putAll(variables);
            apps.update(target, d -> {
                AppDocument next = d.withConfig(config).withFormation(state.formation()).withLimits(state.limits());
                return copy ? next : next.withDomains(state.domains());
            });
        } catch (IOException e) {
            throw new BackupException("The restore failed: " + e.getMessage(), e);
        }
    }

    /** Checks out what the restored repository deploys; empty when it has no deployed branch. */
    Optional<String> checkout(AppName app, Path target) throws BackupException {
        try {
            return bundles.checkout(app, target);
        } catch (IOException | cloud.hop3.api.deploy.DeployException e) {
            throw new BackupException("The restored repository cannot be checked out: " + e.getMessage(), e);
        }
    }
}
