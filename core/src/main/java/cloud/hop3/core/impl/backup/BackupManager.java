package cloud.hop3.core.impl.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.audit.AuditResult;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.backup.BackupException;
import cloud.hop3.api.backup.BackupHealth;
import cloud.hop3.api.backup.BackupId;
import cloud.hop3.api.backup.BackupInfo;
import cloud.hop3.api.backup.BackupManifest;
import cloud.hop3.api.backup.BackupPart;
import cloud.hop3.api.backup.BackupSchedule;
import cloud.hop3.api.backup.BackupService;
import cloud.hop3.api.backup.BackupStore;
import cloud.hop3.api.backup.PlatformRestore;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.api.tls.CertificateIssuer;
import cloud.hop3.core.impl.access.AccessRegistry;
import cloud.hop3.core.impl.actor.CurrentActor;
import cloud.hop3.core.impl.addon.AddonBackups;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.core.impl.audit.ActorProperties;
import cloud.hop3.core.impl.audit.AuditTrail;
import cloud.hop3.core.impl.audit.Audited;
import cloud.hop3.core.impl.deploy.DeployPipeline;
import cloud.hop3.core.impl.git.GitServer;
import cloud.hop3.core.impl.git.RepositoryBundles;
import cloud.hop3.core.impl.isolation.AppUsers;
import cloud.hop3.core.impl.keys.AuthorizedKeys;
import cloud.hop3.core.impl.manifest.CronSchedule;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.plugin.PluginChooser;
import cloud.hop3.core.impl.secret.SecretBox;
import cloud.hop3.plugin.support.files.Trees;

/**
 * Backups of apps, kept by the store that core's one chooser picks ({@code backup.store}, then
 * ranking, then name). A backup or a restore of an app waits its turn in the app's deploy queue,
 * so it never runs alongside a deploy, a config change or a destroy of that app. A backup that
 * fails stores nothing and is loud: an ERROR line, a {@link Hop3Events#BACKUP_FAILED} event, and
 * the failure in {@link #health} until a backup succeeds again. A restore reads every part back
 * and checks it first, and changes nothing when that fails.
 * <p>
 * Schedules and health are kept per app in {@code apps/<app>/backups.json}; a sweep every minute
 * (the way certificates are swept) takes the backups that are due, then applies the app's
 * retention, which never deletes the newest good backup, then runs the new backup's
 * {@link RestoreCheck}: a backup counts only once it has been restored.
 * <p>
 * Over 400 lines because the service's eight operations and the sweep share the store choice,
 * the queue and the failure path, which read best side by side; taking and restoring the parts
 * are {@link BackupTaking} and {@link BackupRestoring}.
 */
@Component(service = {BackupService.class, BackupManager.class}, immediate = true, configurationPid = CoreConfig.PID)
public class BackupManager implements BackupService {

    private static final Logger LOG = LoggerFactory.getLogger(BackupManager.class);
    static final Duration SWEEP = Duration.ofMinutes(1);
    private static final String RECORD = "backups.json";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss'z'").withZone(ZoneOffset.UTC);

    private final PluginChooser<BackupStore> stores = new PluginChooser<>(PluginKind.BACKUP_STORE);
    private volatile String configuredStore = "";

    @Reference
    private AppCatalog apps;

    @Reference
    private AppService appService;

    @Reference
    private DeployPipeline pipeline;

    @Reference
    private AddonBackups addons;

    @Reference
    private AppUsers users;

    @Reference
    private SecretBox secrets;

    @Reference
    private AuthorizedKeys keys;

    // only a restore uses it, to hand the git server the restored host key: backups need not wait
    // for the git server to start (the shell's backup commands come with this service)
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile GitServer git;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin events;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditService audit;

    /** The trail that a platform backup holds a copy of, and its restore puts first. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditTrail trail;

    /** The users that a platform backup holds, and its restore takes over. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AccessRegistry access;

    private BundleContext context;

    private Clock clock = Clock.systemUTC();
    private Path home;
    private PartFiles files;
    private BackupTaking taking;
    private BackupRestoring restoring;
    private BackupRecords records;
    private RestoreCheck checks;
    private ScheduledExecutorService sweeper;

    /** For DS. */
    public BackupManager() {
    }

    /** For tests: backups of these apps and add-ons under {@code home}, without a sweep. */
    public BackupManager(AppCatalog apps, AppService appService, DeployPipeline pipeline, AddonBackups addons,
                         AppUsers users, Path home, Clock clock) throws IOException {
        this.apps = apps;
        this.appService = appService;
        this.pipeline = pipeline;
        this.addons = addons;
        this.users = users;
        this.clock = clock;
        open(home);
    }

    /** For tests: the platform's keys, which a platform backup holds and its restore takes over. */
    void setPlatformKeys(SecretBox secretBox, AuthorizedKeys authorized) {
        this.secrets = secretBox;
        this.keys = authorized;
    }

    /** For tests: the users and the audit trail, which a platform backup holds and its restore takes over. */
    void setPlatformPeople(AccessRegistry registry, AuditTrail auditTrail) {
        this.access = registry;
        this.trail = auditTrail;
    }

    /** For tests: records changes in this trail. */
    public void audit(AuditService trail) {
        this.audit = trail;
    }

    /** For tests: where events go. */
    void setEvents(EventAdmin admin) {
        this.events = admin;
    }

    @Activate
    void activate(BundleContext bundleContext, CoreConfig config) throws IOException {
        context = bundleContext;
        configuredStore = blankToEmpty(config.backup_store());
        open(PlatformSettings.resolve(config).home());
        sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hop3-backups");
            t.setDaemon(true);
            return t;
        });
        // what the sweep does (scheduled backups, their checks) is the platform's, by schedule
        sweeper.scheduleWithFixedDelay(() -> CurrentActor.as(Actor.platform(Door.SCHEDULE), () -> {
            sweep();
            return null;
        }), SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Modified
    void modified(CoreConfig config) {
        configuredStore = blankToEmpty(config.backup_store());
    }

    @Deactivate
    void deactivate() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    private void open(Path stateHome) throws IOException {
        home = stateHome;
        files = new PartFiles(home);
        files.removeLeftovers();
        RepositoryBundles bundles = new RepositoryBundles(home);
        taking = new BackupTaking(apps, addons, bundles);
        restoring = new BackupRestoring(apps, addons, bundles, users);
        records = new BackupRecords(home, apps);
        checks = new RestoreCheck(addons, restoring);
    }

    /** Binds a store with its service properties (by SCR; by tests without a framework). */
    @Reference(service = BackupStore.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeStore")
    public void addStore(BackupStore store, Map<String, Object> properties) {
        stores.add(store, properties);
    }

    public void removeStore(BackupStore store, Map<String, Object> properties) {
        stores.remove(store);
    }

    /** The store in use, or why there is none. */
    BackupStore store() throws BackupException {
        return stores.choose(configuredStore).orElseThrow(() -> new BackupException(configuredStore.isEmpty()
                ? "No backup store is installed; install one (feature:install hop3-backup-local)."
                : "The backup store '" + configuredStore + "' configured in " + CoreConfig.PID + " is not installed."));
    }

    // ---- create -------------------------------------------------------------------------------

    @Override
    public BackupInfo create(AppName app, BuildLog log) throws BackupException, InterruptedException {
        requireApp(app);
        BackupStore store;
        try {
            store = store();
        } catch (BackupException e) {
            throw failed(app, e.getMessage(), e);
        }
        BackupManifest manifest;
        try {
            manifest = queued(app, () -> take(app, store, log));
        } catch (BackupException e) {
            throw failed(app, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw failed(app, "Internal error: " + e, e);
        }
        records.update(app, r -> r.succeeded(manifest.created()));
        LOG.info("Backup {} of app {} stored in {} ({} parts, {} bytes)", manifest.id(), app, store.name(),
                manifest.parts().size(), manifest.size());
        post(Hop3Events.BACKUP_CREATED, app, manifest.id().value(), "Stored in " + store.name());
        return new BackupInfo(manifest, store.name(), Optional.empty());
    }

    // ---- restore checks -----------------------------------------------------------------------

    @Override
    public BackupInfo check(BackupId id) throws BackupException, InterruptedException {
        BackupStore store = store();
        BackupManifest manifest = manifest(store, id);
        if (manifest.ofPlatform()) {
            throw new BackupException("Backup " + id + " is a backup of the platform; backup:verify reads it back whole,"
                    + " and each app's own backups are checked by restoring them (backup:check).");
        }
        Path dir = files.scratch();
        BackupInfo.RestoreCheck result;
        try {
            try {
                fetch(store, id, dir);
                result = checks.run(manifest, dir, clock.instant());
            } catch (BackupException e) {
                result = new BackupInfo.RestoreCheck(clock.instant(), false, e.getMessage());
            }
        } finally {
            PartFiles.remove(dir);
        }
        BackupInfo.RestoreCheck checked = result;
        try {
            records.update(manifest.app(), r -> r.checked(id.value(), checked));
        } catch (RuntimeException e) {
            LOG.warn("App {}: the restore check of backup {} could not be recorded: {}", manifest.app(), id, e.getMessage());
        }
        if (checked.passed()) {
            LOG.info("Backup {} of app {} passed its restore check: {}", id, manifest.app(), checked.detail());
        } else {
            LOG.error("Backup {} of app {} FAILED its restore check: {}", id, manifest.app(), checked.detail());
            post(Hop3Events.BACKUP_CHECK_FAILED, manifest.app(), id.value(), checked.detail());
        }
        return new BackupInfo(manifest, store.name(), Optional.of(checked));
    }

    /** The backup as front ends show it, with its last restore check. */
    private BackupInfo shown(BackupManifest m, BackupStore store) {
        if (m.ofPlatform()) {
            return new BackupInfo(m, store.name(), Optional.empty());
        }
        return new BackupInfo(m, store.name(), Optional.ofNullable(records.read(m.app()).check(m.id().value())));
    }

    private BackupManifest take(AppName app, BackupStore store, BuildLog log) throws BackupException, InterruptedException {
        requireApp(app);
        Instant now = clock.instant();
        BackupId id = BackupId.of(app + "-" + ID_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 4));
        Path dir = files.scratch();
        try {
            BackupManifest manifest = taking.take(app, id, now, platformVersion(), pluginVersion(store), dir, log);
            log.step("Storing backup " + id + " in " + store.name() + " (" + store.location() + ")");
            store.put(manifest, dir);
            return manifest;
        } catch (BackupException | RuntimeException e) {
            taking.forgetKept(app); // a part kept from the last backup may be what failed
            throw e;
        } finally {
            PartFiles.remove(dir);
        }
    }

    /** Records and reports a failed backup, and returns the exception to throw. */
    private BackupException failed(AppName app, String reason, Exception cause) {
        try {
            records.update(app, r -> r.failed(reason));
        } catch (RuntimeException e) {
            LOG.warn("App {}: the backup failure could not be recorded: {}", app, e.getMessage());
        }
        LOG.error("Backup of app {} failed, nothing was stored: {}", app, reason);
        post(Hop3Events.BACKUP_FAILED, app, null, reason);
        return cause instanceof BackupException b && reason.equals(b.getMessage()) ? b : new BackupException(reason, cause);
    }

    // ---- list, info, verify, delete -----------------------------------------------------------

    @Override
    public List<BackupInfo> list(Optional<AppName> app) throws BackupException, InterruptedException {
        BackupStore store = store();
        List<BackupInfo> result = new ArrayList<>();
        for (BackupManifest m : store.list()) {
            if (app.isEmpty() || app.equals(m.subject())) {
                result.add(shown(m, store));
            }
        }
        result.sort((a, b) -> b.manifest().created().compareTo(a.manifest().created()));
        return result;
    }

    @Override
    public BackupInfo info(BackupId id) throws BackupException, InterruptedException {
        BackupStore store = store();
        return shown(manifest(store, id), store);
    }

    @Override
    public BackupInfo verify(BackupId id) throws BackupException, InterruptedException {
        BackupStore store = store();
        Path dir = files.scratch();
        try {
            BackupManifest manifest = fetch(store, id, dir);
            LOG.info("Backup {} verified: {} parts, {} bytes", id, manifest.parts().size(), manifest.size());
            return new BackupInfo(manifest, store.name(), Optional.empty());
        } finally {
            PartFiles.remove(dir);
        }
    }

    /** Gets a backup into {@code dir} from the store, and checks every part again. */
    private BackupManifest fetch(BackupStore store, BackupId id, Path dir) throws BackupException, InterruptedException {
        manifest(store, id);
        BackupManifest manifest = store.get(id, dir); // its refusal names the backup and the part
        PartFiles.check(manifest, dir);
        return manifest;
    }

    @Override
    public void delete(BackupId id) throws BackupException, InterruptedException {
        Audited.blocking(audit, "backup.delete", id.value(), List.of(), () -> {
            deleteNow(id);
            return null;
        });
    }

    private void deleteNow(BackupId id) throws BackupException, InterruptedException {
        BackupStore store = store();
        BackupManifest manifest = manifest(store, id);
        store.delete(id);
        LOG.info("Backup {} of {} deleted from {}", id, manifest.describeSubject(), store.name());
    }

    private static BackupManifest manifest(BackupStore store, BackupId id) throws BackupException, InterruptedException {
        return store.manifest(id).orElseThrow(() -> new BackupException("No backup '" + id + "' in store " + store.name()
                + "; backup:list lists them."));
    }

    // ---- restore ------------------------------------------------------------------------------

    @Override
    public AppName restore(BackupId id, Optional<AppName> to, BuildLog log)
            throws BackupException, DeployException, InterruptedException {
        AppName restored;
        try {
            restored = restoreNow(id, to, log);
        } catch (Exception e) {
            Audited.failed(audit, "backup.restore", to.map(AppName::value).orElse(id.value()), List.of(id.value()), e);
            throw e;
        }
        Audited.record(audit, "backup.restore", restored.value(), AuditResult.success(), List.of(id.value()));
        return restored;
    }

    private AppName restoreNow(BackupId id, Optional<AppName> to, BuildLog log)
            throws BackupException, DeployException, InterruptedException {
        BackupStore store = store();
        BackupManifest manifest = manifest(store, id);
        if (manifest.ofPlatform()) {
            throw new BackupException("Backup " + id + " is a backup of the platform: platform:restore " + id
                    + " restores it onto an installation without its apps.");
        }
        AppName target = to.orElse(manifest.app());
        boolean copy = !target.equals(manifest.app());
        if (copy && apps.find(target).isPresent()) {
            throw new BackupException("App '" + target + "' exists already; restore into a new name, or restore "
                    + id + " onto its own app " + manifest.app() + " without --to.");
        }
        if (copy) {
            for (var p : manifest.parts()) {
                String addon = p.attributes().get(BackupTaking.ADDON);
                if (addon == null) {
                    continue;
                }
                try {
                    AddonName renamed = BackupRestoring.addonFor(addon, manifest.app(), target);
                    if (addons.exists(renamed)) {
                        throw new BackupException("Add-on '" + renamed + "' exists already; the copy's add-ons are"
                                + " named after it. Choose another name.");
                    }
                } catch (AddonException | IllegalArgumentException e) {
                    throw new BackupException("No add-on can be named after " + target + " for " + addon + ": "
                            + e.getMessage(), e);
                }
            }
        }
        for (var p : manifest.parts()) {
            String type = p.attributes().get(BackupTaking.TYPE);
            if (type != null && !addons.installed(type)) {
                throw new BackupException("Backup " + id + " holds a " + type + " add-on, and no plugin of that type is"
                        + " installed; install it first.");
            }
        }
        Path dir = files.scratch();
        try {
            log.step("Verifying backup " + id);
            fetch(store, id, dir);
            return restoreFetched(manifest, dir, target, log);
        } finally {
            PartFiles.remove(dir);
        }
    }

    /**
     * Restores the verified parts of an app's backup, in {@code dir}, into {@code target}, which is
     * created when it does not exist (and removed again, with the add-ons made for it, when the
     * restore fails), then deploys it from its restored repository.
     */
    private AppName restoreFetched(BackupManifest manifest, Path dir, AppName target, BuildLog log)
            throws BackupException, DeployException, InterruptedException {
        Path build = null;
        try {
            AppDocument state = restoring.state(manifest, dir);
            boolean made = apps.find(target).isEmpty();
            List<AddonName> fresh = made ? freshAddons(manifest, target) : List.of();
            if (made) {
                appService.create(target);
            }
            try {
                queued(target, () -> {
                    restoring.restore(manifest, dir, state, target, log);
                    return null;
                });
            } catch (BackupException | RuntimeException e) {
                if (made) {
                    undo(target, fresh, log);
                }
                throw e;
            }
            LOG.info("Backup {} of app {} restored into app {}", manifest.id(), manifest.app(), target);
            build = Files.createDirectories(home.resolve("tmp").resolve("builds"))
                    .resolve(target + "-restore-" + UUID.randomUUID().toString().substring(0, 8));
            Path source = build.resolve("src");
            Optional<String> revision = restoring.checkout(target, source);
            if (revision.isEmpty()) {
                log.warn("The backup holds no deployed branch: " + target + " is restored, not deployed.");
                return target;
            }
            log.step("Deploying " + target + " from its restored repository (" + revision.get() + ")");
            pipeline.deploy(target, source, revision.get(), log);
            return target;
        } catch (IOException e) {
            throw new BackupException("The restore of " + manifest.id() + " failed: " + e.getMessage(), e);
        } finally {
            if (build != null && Files.exists(build)) {
                try {
                    Trees.delete(build);
                } catch (IOException e) {
                    LOG.warn("Cannot remove {}: {}", build, e.getMessage());
                }
            }
        }
    }

    /** The add-ons a restore into {@code target} would make, because they do not exist. */
    private List<AddonName> freshAddons(BackupManifest manifest, AppName target) throws BackupException {
        List<AddonName> fresh = new ArrayList<>();
        for (var p : manifest.parts()) {
            String addon = p.attributes().get(BackupTaking.ADDON);
            if (addon != null) {
                AddonName name = BackupRestoring.addonFor(addon, manifest.app(), target);
                try {
                    if (!addons.exists(name)) {
                        fresh.add(name);
                    }
                } catch (AddonException e) {
                    throw new BackupException(e.getMessage(), e);
                }
            }
        }
        return fresh;
    }

    /**
     * Removes what a failed restore made: the app it created and the add-ons it created for it,
     * so that a failed restore into a new name leaves nothing behind.
     */
    private void undo(AppName target, List<AddonName> fresh, BuildLog log) {
        log.warn("The restore failed; removing the app " + target + " it made"
                + (fresh.isEmpty() ? "" : " and its add-ons " + fresh));
        for (AddonName name : fresh) {
            try {
                addons.discard(name);
            } catch (AddonException | InterruptedException | RuntimeException e) {
                LOG.warn("App {}: add-on {} made by a failed restore could not be removed: {}", target, name, e.getMessage());
            }
        }
        try {
            appService.destroy(target, true);
        } catch (cloud.hop3.api.app.AppException | InterruptedException | RuntimeException e) {
            LOG.warn("App {} made by a failed restore could not be removed: {}", target, e.getMessage());
        }
    }

    // ---- the platform -------------------------------------------------------------------------

    @Override
    public BackupInfo createPlatform(BuildLog log) throws BackupException, InterruptedException {
        BackupStore store = store();
        Instant now = clock.instant();
        BackupId id = BackupId.of("platform-" + ID_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 4));
        Path dir = files.scratch();
        BackupManifest manifest;
        try {
            List<BackupPart> parts = new ArrayList<>();
            Map<String, String> plugins = new TreeMap<>(pluginVersion(store));
            for (AppName app : apps.names()) {
                Path taken = Files.createDirectory(dir.resolve("taking-" + app));
                BackupManifest appBackup = queued(app, () -> taking.take(app, BackupId.of(id + "." + app), now,
                        platformVersion(), Map.of(), taken, log));
                parts.addAll(PlatformBackups.absorb(appBackup, taken, dir));
                plugins.putAll(appBackup.plugins());
                Files.delete(taken);
            }
            log.step("Backing up the platform's keys, users, audit trail and issuers' state");
            AuditTrail trail = this.trail;
            Path staged = files.scratch();
            try {
                if (trail != null) {
                    trail.copyTo(staged.resolve(PlatformBackups.AUDIT).resolve("trail.jsonl"));
                }
                parts.add(PlatformBackups.writeState(home, dir, Optional.of(staged)));
            } finally {
                PartFiles.remove(staged);
            }
            manifest = new BackupManifest(id, Optional.empty(), now, 0, platformVersion(), plugins, parts);
            log.step("Storing backup " + id + " in " + store.name() + " (" + store.location() + ")");
            store.put(manifest, dir);
        } catch (IOException e) {
            throw platformFailed("Writing the backup's files failed: " + e.getMessage(), e);
        } catch (BackupException e) {
            throw platformFailed(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw platformFailed("Internal error: " + e, e);
        } finally {
            PartFiles.remove(dir);
        }
        LOG.info("Backup {} of the platform ({} apps) stored in {} ({} parts, {} bytes)", id,
                PlatformBackups.apps(manifest).size(), store.name(), manifest.parts().size(), manifest.size());
        post(Hop3Events.BACKUP_CREATED, null, id.value(), "The platform, stored in " + store.name());
        return new BackupInfo(manifest, store.name(), Optional.empty());
    }

    private BackupException platformFailed(String reason, Exception cause) {
        LOG.error("Backup of the platform failed, nothing was stored: {}", reason);
        post(Hop3Events.BACKUP_FAILED, null, null, "The platform: " + reason);
        return cause instanceof BackupException b && reason.equals(b.getMessage()) ? b : new BackupException(reason, cause);
    }

    @Override
    public PlatformRestore restorePlatform(BackupId id, boolean skipExisting, BuildLog log)
            throws BackupException, InterruptedException {
        return Audited.blocking(audit, "platform.restore", "platform", List.of(id.value()),
                () -> restorePlatformNow(id, skipExisting, log));
    }

    private PlatformRestore restorePlatformNow(BackupId id, boolean skipExisting, BuildLog log)
            throws BackupException, InterruptedException {
        BackupStore store = store();
        BackupManifest manifest = manifest(store, id);
        if (!manifest.ofPlatform()) {
            throw new BackupException("Backup " + id + " is a backup of app " + manifest.app() + ": backup:restore " + id
                    + " restores it.");
        }
        List<AppName> backedUp = PlatformBackups.apps(manifest);
        List<AppName> here = backedUp.stream().filter(a -> apps.find(a).isPresent()).toList();
        if (!here.isEmpty() && !skipExisting) {
            throw new BackupException("This installation has apps of backup " + id + " already: " + here + ". A platform"
                    + " backup is restored onto an installation without them; nothing was changed. To restore the"
                    + " others and leave these as they are: platform:restore --skip-existing " + id);
        }
        for (BackupPart p : manifest.parts()) {
            if (here.contains(appOf(p))) {
                continue;
            }
            String type = p.attributes().get(BackupTaking.TYPE);
            if (type != null && !addons.installed(type)) {
                throw new BackupException("Backup " + id + " holds a " + type + " add-on, and no plugin of that type is"
                        + " installed; install it first. Nothing was changed.");
            }
            String addon = p.attributes().get(BackupTaking.ADDON);
            try {
                if (addon != null && addons.exists(AddonName.of(addon))) {
                    throw new BackupException("Add-on '" + addon + "' of backup " + id + " exists here already; nothing"
                            + " was changed.");
                }
            } catch (AddonException e) {
                throw new BackupException(e.getMessage(), e);
            }
        }
        Path dir = files.scratch();
        List<String> notes = new ArrayList<>();
        List<AppName> restored = new ArrayList<>();
        Map<AppName, String> failed = new TreeMap<>();
        try {
            log.step("Verifying backup " + id);
            fetch(store, id, dir);
            Map<AppName, PlatformBackups.Split> split = PlatformBackups.split(manifest, dir);
            Path state = PlatformBackups.extractState(manifest, dir);

            log.step("Taking over the keys of the backed-up platform");
            Path keyring = state.resolve("keys").resolve("secrets.json");
            if (Files.isRegularFile(keyring)) {
                List<String> added = secrets.adopt(keyring);
                notes.add("Secret keys added (config vars and backups of the old platform open here): "
                        + (added.isEmpty() ? "none, all were held" : String.join(" ", added)));
            }
            List<String> pushKeys = keys.adopt(state);
            notes.add("Push keys authorised: " + (pushKeys.isEmpty() ? "none new" : String.join(" ", pushKeys)));
            if (access != null) {
                List<String> people = access.adopt(state);
                notes.add("Users taken over: " + (people.isEmpty() ? "none new" : String.join(" ", people))
                        + " (users of the same name here are left as they are)");
            }
            Path restoredTrail = state.resolve(PlatformBackups.AUDIT).resolve("trail.jsonl");
            AuditTrail trail = this.trail;
            if (trail != null && Files.isRegularFile(restoredTrail)) {
                try {
                    notes.add(trail.adopt(restoredTrail, id.value()));
                } catch (IOException e) {
                    Path kept = home.resolve(PlatformBackups.AUDIT).resolve("restored-" + id.value() + ".jsonl");
                    Files.copy(restoredTrail, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    LOG.error("Restore of the platform backup {}: its audit trail was not put in this one: {}", id, e.getMessage());
                    notes.add("The backed-up audit trail was not put before this one (" + e.getMessage() + "); it is kept"
                            + " as it was in audit/" + kept.getFileName());
                }
            }
            Path hostKey = state.resolve("keys").resolve("git_host_key");
            if (Files.isRegularFile(hostKey)) {
                GitServer server = git;
                if (server != null) {
                    server.adoptHostKey(hostKey);
                } else {
                    GitServer.putHostKey(home, hostKey);
                }
                notes.add("The git server's host key is the backed-up platform's: its git remote works unchanged");
            }
            List<String> issuers = PlatformBackups.putIssuersBack(state, home);
            if (!issuers.isEmpty()) {
                restartIssuers();
                notes.add("Issuers' state put back (their CA and accounts): " + String.join(" ", issuers));
            }
            for (Map.Entry<AppName, PlatformBackups.Split> app : split.entrySet()) {
                if (here.contains(app.getKey())) {
                    notes.add("App " + app.getKey() + " exists here: left as it is");
                    continue;
                }
                log.step("Restoring app " + app.getKey());
                try {
                    restoreFetched(app.getValue().manifest(), app.getValue().directory(), app.getKey(), log);
                    restored.add(app.getKey());
                } catch (BackupException | DeployException | RuntimeException e) {
                    String reason = e.getMessage() == null ? e.toString() : e.getMessage();
                    failed.put(app.getKey(), reason);
                    log.warn("App " + app.getKey() + " was not restored: " + reason);
                    LOG.error("Restore of the platform backup {}: app {} was not restored: {}", id, app.getKey(), reason);
                }
            }
            notes.add("This installation's settings (ports, domain, plugins in use) stay as they are");
        } catch (IOException e) {
            throw new BackupException("The restore of " + id + " failed: " + e.getMessage(), e);
        } finally {
            PartFiles.remove(dir);
        }
        LOG.info("Backup {} of the platform restored: {} apps restored, {} failed", id, restored.size(), failed.size());
        if (!failed.isEmpty()) {
            post(Hop3Events.BACKUP_FAILED, null, id.value(), "Restore of the platform: apps not restored: " + failed.keySet());
        }
        return new PlatformRestore(restored, failed, notes);
    }

    /** The app a part of a platform backup belongs to, or null for the platform's own. */
    private static AppName appOf(BackupPart part) {
        String app = part.attributes().get(PlatformBackups.APP);
        return app == null ? null : AppName.of(app);
    }

    /** Restarts the bundles of the certificate issuers, so that they read the state put back. */
    private void restartIssuers() {
        if (context == null) {
            return;
        }
        try {
            Set<Bundle> bundles = new LinkedHashSet<>();
            for (ServiceReference<CertificateIssuer> ref : context.getServiceReferences(CertificateIssuer.class, null)) {
                Bundle bundle = ref.getBundle();
                if (bundle != null && bundle.getBundleId() != context.getBundle().getBundleId()) {
                    bundles.add(bundle);
                }
            }
            for (Bundle bundle : bundles) {
                bundle.stop(Bundle.STOP_TRANSIENT);
                bundle.start(Bundle.START_TRANSIENT);
                LOG.info("Restarted {} to read its restored state", bundle.getSymbolicName());
            }
        } catch (InvalidSyntaxException | BundleException | IllegalStateException e) {
            LOG.warn("An issuer could not be restarted to read its restored state; restart the platform: {}", e.getMessage());
        }
    }

    // ---- schedules and health -----------------------------------------------------------------

    @Override
    public void schedule(AppName app, BackupSchedule schedule) throws BackupException {
        Audited.run(audit, "backup.schedule", app.value(), List.of(schedule.cron(), String.valueOf(schedule.retention())), () -> {
            scheduleNow(app, schedule);
            return null;
        });
    }

    private void scheduleNow(AppName app, BackupSchedule schedule) throws BackupException {
        requireApp(app);
        try {
            CronSchedule.parse(schedule.cron());
        } catch (IllegalArgumentException e) {
            throw new BackupException("Invalid schedule: " + e.getMessage() + ". Example: '0 3 * * *' (every day at 03:00 UTC).");
        }
        records.update(app, r -> r.scheduled(schedule, clock.instant()));
        LOG.info("App {}: backups scheduled at '{}' (UTC), {}", app, schedule.cron(), schedule.retention());
    }

    @Override
    public void unschedule(AppName app) throws BackupException {
        Audited.run(audit, "backup.unschedule", app.value(), List.of(), () -> {
            unscheduleNow(app);
            return null;
        });
    }

    private void unscheduleNow(AppName app) throws BackupException {
        requireApp(app);
        if (records.read(app).cron() == null) {
            throw new BackupException("App " + app + " has no backup schedule.");
        }
        records.update(app, r -> r.scheduled(null, clock.instant()));
        LOG.info("App {}: backup schedule removed; its backups are kept", app);
    }

    @Override
    public BackupHealth health(AppName app) throws BackupException {
        requireApp(app);
        BackupRecord r = records.read(app);
        BackupSchedule schedule = r.schedule();
        Optional<BackupInfo.RestoreCheck> lastCheck = r.checks() == null ? Optional.empty()
                : r.checks().values().stream().max(java.util.Comparator.comparing(BackupInfo.RestoreCheck::at));
        return new BackupHealth(app, Optional.ofNullable(schedule), Optional.ofNullable(r.lastGood()), r.failures(),
                Optional.ofNullable(r.lastFailure()), Optional.ofNullable(next(r)), lastCheck);
    }

    /** When the app's schedule runs next; null without one. */
    private static Instant next(BackupRecord r) {
        if (r.cron() == null) {
            return null;
        }
        Instant since = r.since() == null ? Instant.EPOCH : r.since();
        return CronSchedule.parse(r.cron()).next(since.atZone(ZoneOffset.UTC)).toInstant();
    }

    /** Takes the backups that are due, each followed by its app's retention. */
    void sweep() {
        for (AppName app : apps.names()) {
            try {
                BackupRecord r = records.read(app);
                Instant next = next(r);
                Instant now = clock.instant();
                if (next == null || next.isAfter(now)) {
                    continue;
                }
                records.update(app, x -> x.ran(now));
                LOG.info("App {}: scheduled backup ('{}')", app, r.cron());
                BackupInfo taken;
                try {
                    taken = create(app, new LoggedBuildLog(app));
                    retain(app, r.schedule());
                } catch (BackupException e) {
                    continue; // logged, posted and recorded by create; tried again at the next time
                }
                try {
                    check(taken.manifest().id());
                } catch (BackupException e) {
                    LOG.error("App {}: the restore check of backup {} could not run: {}", app, taken.manifest().id(),
                            e.getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("App {}: the backup schedule could not be run: {}", app, e.toString());
            }
        }
    }

    /** Deletes the app's backups its retention does not keep. */
    void retain(AppName app, BackupSchedule schedule) throws BackupException, InterruptedException {
        if (schedule == null || schedule.retention().keepsAll()) {
            return;
        }
        List<RetentionRule.Dated<BackupId>> dated = new ArrayList<>();
        for (BackupInfo b : list(Optional.of(app))) {
            dated.add(new RetentionRule.Dated<>(b.manifest().id(), b.manifest().created()));
        }
        BackupStore store = store();
        for (BackupId id : RetentionRule.forget(schedule.retention(), dated)) {
            store.delete(id);
            LOG.info("App {}: backup {} deleted by retention ({})", app, id, schedule.retention());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void requireApp(AppName app) throws BackupException {
        if (apps.find(app).isEmpty()) {
            throw new BackupException("No app named '" + app + "'; app:list lists them.");
        }
    }

    /** Work on an app that throws what a backup throws. */
    @FunctionalInterface
    private interface Queued<T> {
        T run() throws BackupException, InterruptedException;
    }

    /** Runs {@code work} in the app's deploy queue, so that it never runs alongside another change of the app. */
    private <T> T queued(AppName app, Queued<T> work) throws BackupException, InterruptedException {
        try {
            return pipeline.queued(app, () -> {
                try {
                    return work.run();
                } catch (BackupException e) {
                    throw new Carried(e);
                }
            });
        } catch (Carried c) {
            throw (BackupException) c.getCause();
        } catch (DeployException e) {
            throw new BackupException(e.getMessage(), e);
        }
    }

    /** Carries a backup's failure through the deploy queue. */
    private static final class Carried extends DeployException {
        private static final long serialVersionUID = 1L;

        Carried(BackupException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private String platformVersion() {
        Bundle bundle = FrameworkUtil.getBundle(BackupManager.class);
        return bundle == null ? "dev" : BackupTaking.oneWord(bundle.getVersion().toString());
    }

    private static Map<String, String> pluginVersion(BackupStore store) {
        Bundle bundle = FrameworkUtil.getBundle(store.getClass());
        Map<String, String> m = new LinkedHashMap<>();
        if (bundle != null) {
            m.put(bundle.getSymbolicName(), BackupTaking.oneWord(bundle.getVersion().toString()));
        }
        return m;
    }

    private void post(String topic, AppName app, String backup, String message) {
        EventAdmin admin = events;
        if (admin != null) {
            Map<String, Object> props = new LinkedHashMap<>();
            if (app != null) {
                props.put(Hop3Events.APP, app.value());
            }
            if (backup != null) {
                props.put(Hop3Events.BACKUP, backup);
            }
            props.put(Hop3Events.MESSAGE, message);
            admin.postEvent(new Event(topic, ActorProperties.add(props)));
        }
    }

    private static String blankToEmpty(String s) {
        return s == null ? "" : s.strip();
    }

    /** Where a scheduled backup's steps go: the platform's log. */
    private record LoggedBuildLog(AppName app) implements BuildLog {
        @Override
        public void step(String text) {
            LOG.debug("App {}: {}", app, text);
        }

        @Override
        public void info(String text) {
            LOG.debug("App {}: {}", app, text);
        }

        @Override
        public void warn(String text) {
            LOG.warn("App {}: {}", app, text);
        }
    }
}
