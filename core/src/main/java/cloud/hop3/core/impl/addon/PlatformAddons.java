package cloud.hop3.core.impl.addon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonInfo;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.AddonService;
import cloud.hop3.api.addon.AddonType;
import cloud.hop3.api.addon.ClientCommand;
import cloud.hop3.api.addon.Database;
import cloud.hop3.api.addon.DatabaseStatus;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.audit.AuditResult;
import cloud.hop3.api.audit.AuditService;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployException;
import cloud.hop3.api.deploy.DeployService;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.core.impl.addon.AddonDocument.Attachment;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.audit.Audited;
import cloud.hop3.core.impl.deploy.DeclaredAddons;
import cloud.hop3.core.impl.manifest.AddonDeclaration;

/**
 * The add-on service: the catalog ({@link AddonCatalog}) on one side, the database plugins of
 * the registry on the other, and the app's config vars in between, changed through the deploy
 * pipeline's config path so that each attach, detach or rotation is a new release put into
 * service without downtime. Operations on one add-on are serialised by its lock; a state change is
 * recorded only once the releases it needs have succeeded. It also makes the add-ons that apps
 * declare ready during their deploy, and forgets the attachments of destroyed apps.
 * <p>
 * Over 400 lines because each operation's rules (what is refused, in what order the plugin, the
 * releases and the catalog change) read best side by side.
 */
@Component(service = {AddonService.class, DeclaredAddons.class, EventHandler.class},
        property = EventConstants.EVENT_TOPIC + "=" + Hop3Events.APP_DESTROYED)
public class PlatformAddons implements AddonService, DeclaredAddons, EventHandler {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformAddons.class);
    /** How long a deploy waits for an operation on a declared add-on to end. */
    private static final long DEPLOY_WAIT_SECONDS = 30;

    private final DatabasePlugins plugins = new DatabasePlugins();
    private final Clock clock;

    @Reference
    private AddonCatalog catalog;

    @Reference
    private AppCatalog apps;

    /**
     * Taken when an operation needs it, not at activation: the deploy pipeline takes this
     * component as its {@link DeclaredAddons}, and getting each other's service at activation
     * makes a cycle that SCR breaks by leaving one of them unbound, then restarts both whenever
     * core's configuration changes.
     */
    @Reference
    private ComponentServiceObjects<DeployService> deployService;

    private DeployService deploys;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AuditService audit;

    /** For tests: records changes in this trail. */
    public void audit(AuditService trail) {
        this.audit = trail;
    }

    /** For DS. */
    public PlatformAddons() {
        clock = Clock.systemUTC();
    }

    /** For tests. */
    public PlatformAddons(AddonCatalog catalog, AppCatalog apps, DeployService deploys, Clock clock) {
        this.catalog = catalog;
        this.apps = apps;
        this.deploys = deploys;
        this.clock = clock;
    }

    @Reference(service = Database.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeDatabase")
    public void addDatabase(Database database, Map<String, Object> properties) {
        plugins.add(database, properties);
    }

    public void removeDatabase(Database database, Map<String, Object> properties) {
        plugins.remove(database, properties);
    }

    @Override
    public List<AddonType> types() {
        return plugins.types();
    }

    @Override
    public List<AddonInfo> list() {
        List<AddonInfo> result = new ArrayList<>();
        for (AddonName name : names()) {
            try {
                catalog.find(name).ifPresent(doc -> result.add(info(doc)));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Add-on {}: cannot be read: {}", name, e.getMessage());
            }
        }
        return result;
    }

    @Override
    public AddonInfo info(AddonName name) throws AddonException {
        return info(require(name));
    }

    private AddonInfo info(AddonDocument doc) {
        Optional<Database> plugin = plugins.find(doc.type());
        DatabaseStatus status;
        if (plugin.isEmpty()) {
            status = new DatabaseStatus("", "unknown", false, "plugin for type " + doc.type() + " not installed");
        } else {
            try {
                status = plugin.get().status(doc.instanceName(), doc.current());
            } catch (RuntimeException e) {
                status = new DatabaseStatus("", "unknown", false, "the plugin failed to report: " + e.getMessage());
            }
        }
        Map<AppName, String> attachments = new TreeMap<>();
        doc.attachments().forEach((app, a) -> attachments.put(AppName.of(app), a.prefix()));
        return new AddonInfo(AddonName.of(doc.name()), doc.type(), doc.created(), attachments, status);
    }

    @Override
    public AddonInfo create(String type, AddonName name, Map<String, String> options) throws AddonException {
        List<String> details = List.of(type);
        AddonInfo result;
        try {
            result = createNow(type, name, options);
        } catch (Exception e) {
            Audited.failed(audit, "addon.create", name.value(), details, e);
            throw e;
        }
        Audited.record(audit, "addon.create", name.value(), AuditResult.success(), details);
        return result;
    }

    private AddonInfo createNow(String type, AddonName name, Map<String, String> options) throws AddonException {
        ReentrantLock lock = catalog.lock(name);
        lock.lock();
        try {
            return info(createLocked(type, name, options));
        } finally {
            lock.unlock();
        }
    }

    private AddonDocument createLocked(String type, AddonName name, Map<String, String> options) throws AddonException {
        Optional<AddonDocument> existing = find(name);
        if (existing.isPresent()) {
            throw new AddonException("An add-on named '" + name + "' exists already (type " + existing.get().type()
                    + "); choose another name.");
        }
        Database plugin = plugins.require(type);
        AddonCredentials credentials = plugin.create(name, options);
        AddonDocument doc = new AddonDocument(AddonDocument.SCHEMA, name.value(), type, clock.instant(), options,
                credentials.values(), List.of(), Map.of());
        try {
            catalog.write(doc);
        } catch (IOException e) {
            try {
                plugin.destroy(name, credentials);
            } catch (AddonException | RuntimeException dropped) {
                LOG.warn("Add-on {}: created but not recorded, and could not be dropped: {}", name, dropped.getMessage());
            }
            throw new AddonException("The add-on '" + name + "' could not be recorded: " + e.getMessage(), e);
        }
        LOG.info("Add-on {} ({}) created", name, type);
        return doc;
    }

    @Override
    public void attach(AddonName name, AppName app, Optional<String> prefix, BuildLog log) throws AddonException, DeployException, InterruptedException {
        List<String> details = List.of(app.value());
        try {
            attachNow(name, app, prefix, log);
        } catch (Exception e) {
            Audited.failed(audit, "addon.attach", name.value(), details, e);
            throw e;
        }
        Audited.record(audit, "addon.attach", name.value(), AuditResult.success(), details);
    }

    private void attachNow(AddonName name, AppName app, Optional<String> prefix, BuildLog log)
            throws AddonException, DeployException, InterruptedException {
        if (prefix.isPresent() && AddonDeclaration.prefixProblem(prefix.get()) != null) {
            throw new AddonException(AddonDeclaration.prefixProblem(prefix.get()));
        }
        ReentrantLock lock = catalog.lock(name);
        lock.lockInterruptibly();
        try {
            AddonDocument doc = require(name);
            Map<String, String> config = config(app);
            Attachment attached = doc.attachments().get(app.value());
            if (attached != null) {
                throw new AddonException("Add-on '" + name + "' is attached to " + app + " already, as " + attached.prefix() + ".");
            }
            Database plugin = plugins.require(doc.type());
            String chosen = prefix.orElse(plugin.defaultPrefix());
            Map<String, String> variables = plugin.environment(doc.current(), chosen);
            refuseTaken(app, name, chosen, variables, config, "--as");
            configure(app, variables, Set.of(), log);
            record(doc.withAttachment(app.value(), new Attachment(chosen, new ArrayList<>(new TreeSet<>(variables.keySet())))));
            LOG.info("Add-on {} attached to app {} as {}", name, app, chosen);
        } finally {
            lock.unlock();
        }
    }

    /** Refuses variables that the app has already, naming what set them and how to choose another prefix. */
    private void refuseTaken(AppName app, AddonName name, String prefix, Map<String, String> variables,
                             Map<String, String> config, String how) throws AddonException {
        List<String> taken = variables.keySet().stream().filter(config::containsKey).sorted().toList();
        if (taken.isEmpty()) {
            return;
        }
        String by = setBy(app, taken.get(0)).map(a -> "by add-on " + a).orElse("with app:config-set");
        String other = name.identifier().toUpperCase(Locale.ROOT);
        String choose = how.equals("--as") ? "addon:attach --as " + other + " " + name + " " + app
                : "as = \"" + other + "\" in its [[addons]] entry";
        throw new AddonException("App " + app + " has " + String.join(", ", taken) + " already (set " + by + "); attach "
                + name + " under another prefix with " + choose + ", which gives " + other + "_URL, or unset "
                + taken.get(0) + " first.");
    }

    /** The add-on whose attachment to {@code app} set {@code variable}. */
    private Optional<String> setBy(AppName app, String variable) {
        for (AddonName other : names()) {
            try {
                Attachment a = catalog.find(other).map(d -> d.attachments().get(app.value())).orElse(null);
                if (a != null && a.variables().contains(variable)) {
                    return Optional.of(other.value());
                }
            } catch (IOException | RuntimeException e) {
                // unreadable: not the one
            }
        }
        return Optional.empty();
    }

    /** The names of the add-ons; none when the directory cannot be read (said in the log). */
    private List<AddonName> names() {
        try {
            return catalog.names();
        } catch (IOException e) {
            LOG.warn("The add-ons cannot be listed: {}", e.getMessage());
            return List.of();
        }
    }

    @Override
    public void detach(AddonName name, AppName app, BuildLog log) throws AddonException, DeployException, InterruptedException {
        List<String> details = List.of(app.value());
        try {
            detachNow(name, app, log);
        } catch (Exception e) {
            Audited.failed(audit, "addon.detach", name.value(), details, e);
            throw e;
        }
        Audited.record(audit, "addon.detach", name.value(), AuditResult.success(), details);
    }

    private void detachNow(AddonName name, AppName app, BuildLog log) throws AddonException, DeployException, InterruptedException {
        ReentrantLock lock = catalog.lock(name);
        lock.lockInterruptibly();
        try {
            AddonDocument doc = require(name);
            Attachment attached = doc.attachments().get(app.value());
            if (attached == null) {
                throw new AddonException("Add-on '" + name + "' is not attached to " + app + (doc.attachments().isEmpty()
                        ? "; it is attached to no app." : "; it is attached to " + String.join(", ", doc.attachments().keySet()) + "."));
            }
            if (apps.find(app).isPresent()) {
                configure(app, Map.of(), new TreeSet<>(attached.variables()), log);
            }
            record(doc.withAttachment(app.value(), null));
            LOG.info("Add-on {} detached from app {}", name, app);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void destroy(AddonName name) throws AddonException {
        List<String> details = List.of();
        try {
            destroyNow(name);
        } catch (Exception e) {
            Audited.failed(audit, "addon.destroy", name.value(), details, e);
            throw e;
        }
        Audited.record(audit, "addon.destroy", name.value(), AuditResult.success(), details);
    }

    private void destroyNow(AddonName name) throws AddonException {
        ReentrantLock lock = catalog.lock(name);
        lock.lock();
        try {
            AddonDocument doc = require(name);
            if (!doc.attachments().isEmpty()) {
                String first = doc.attachments().keySet().iterator().next();
                throw new AddonException("Add-on '" + name + "' is attached to " + String.join(", ", doc.attachments().keySet())
                        + "; detach it first (addon:detach " + name + " " + first + ").");
            }
            Database plugin = plugins.require(doc.type());
            if (doc.previous() != null) {
                plugin.destroy(doc.previous().instanceName(), doc.previous().current());
            }
            plugin.destroy(doc.instanceName(), doc.current());
            try {
                catalog.delete(name);
            } catch (IOException e) {
                throw new AddonException("The add-on's data is dropped, but its record could not be removed: " + e.getMessage(), e);
            }
            LOG.info("Add-on {} ({}) destroyed", name, doc.type());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void rotate(AddonName name, BuildLog log) throws AddonException, DeployException, InterruptedException {
        List<String> details = List.of();
        try {
            rotateNow(name, log);
        } catch (Exception e) {
            Audited.failed(audit, "addon.credentials-rotate", name.value(), details, e);
            throw e;
        }
        Audited.record(audit, "addon.credentials-rotate", name.value(), AuditResult.success(), details);
    }

    private void rotateNow(AddonName name, BuildLog log) throws AddonException, DeployException, InterruptedException {
        ReentrantLock lock = catalog.lock(name);
        lock.lockInterruptibly();
        try {
            AddonDocument doc = require(name);
            Database plugin = plugins.require(doc.type());
            AddonCredentials next = plugin.rotate(doc.instanceName(), doc.current());
            doc = doc.withRotated(next);
            record(doc); // the new credentials are never lost, the old ones are kept until retired
            List<String> failed = new ArrayList<>();
            doc = moveApps(doc, plugin, next, "the new credentials of " + name, log, failed);
            record(doc);
            if (!failed.isEmpty()) {
                throw new AddonException("New credentials of " + name + " are in place, but the release of "
                        + String.join(", ", failed) + " failed; the old credentials keep working and none were retired."
                        + " Run addon:credentials-rotate " + name + " again once the app deploys.");
            }
            List<AddonCredentials> left = new ArrayList<>();
            String problem = null;
            for (AddonCredentials old : doc.retiringCredentials()) {
                try {
                    plugin.retire(doc.instanceName(), old, next);
                } catch (AddonException | RuntimeException e) {
                    left.add(old);
                    problem = e.getMessage();
                }
            }
            record(doc.withRetiring(left));
            if (problem != null) {
                throw new AddonException("Every app of " + name + " uses the new credentials, but the old ones could not be"
                        + " retired and still work: " + problem);
            }
            LOG.info("Add-on {}: credentials rotated", name);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives every attached app these credentials, a release each, under the prefix it has.
     *
     * @param failed where the apps whose release failed are added, with the reason
     * @return the document with the attachments' new variables
     */
    private AddonDocument moveApps(AddonDocument doc, Database plugin, AddonCredentials next, String where, BuildLog log,
                                   List<String> failed) throws InterruptedException {
        for (Map.Entry<String, Attachment> entry : doc.attachments().entrySet()) {
            AppName app = AppName.of(entry.getKey());
            Attachment old = entry.getValue();
            Map<String, String> variables = plugin.environment(next, old.prefix());
            Set<String> gone = new TreeSet<>(old.variables());
            gone.removeAll(variables.keySet());
            try {
                log.step("Moving " + app + " to " + where);
                configure(app, variables, gone, log);
                doc = doc.withAttachment(app.value(), new Attachment(old.prefix(), new ArrayList<>(new TreeSet<>(variables.keySet()))));
            } catch (DeployException | NoSuchElementException e) {
                failed.add(app + " (" + e.getMessage() + ")");
            }
        }
        return doc;
    }

    @Override
    public void upgrade(AddonName name, Optional<String> version, BuildLog log) throws AddonException, DeployException, InterruptedException {
        List<String> details = version.map(List::of).orElse(List.of());
        try {
            upgradeNow(name, version, log);
        } catch (Exception e) {
            Audited.failed(audit, "addon.upgrade", name.value(), details, e);
            throw e;
        }
        Audited.record(audit, "addon.upgrade", name.value(), AuditResult.success(), details);
    }

    private void upgradeNow(AddonName name, Optional<String> version, BuildLog log)
            throws AddonException, DeployException, InterruptedException {
        ReentrantLock lock = catalog.lock(name);
        lock.lockInterruptibly();
        try {
            AddonDocument doc = require(name);
            if (doc.previous() != null) {
                throw new AddonException("Add-on '" + name + "' was upgraded already and its previous database is kept: run"
                        + " addon:upgrade --finish " + name + " to drop it, or addon:upgrade --undo " + name + " to go back,"
                        + " before upgrading again.");
            }
            Database plugin = plugins.require(doc.type());
            Map<String, String> options = new TreeMap<>(doc.options());
            options.remove("version");
            version.ifPresent(v -> options.put("version", v));
            AddonName target = nextInstance(doc);
            String from = plugin.status(doc.instanceName(), doc.current()).serverVersion();
            log.step("Creating a new " + doc.type() + " database for " + name + version.map(v -> ", version " + v).orElse(""));
            AddonCredentials fresh = plugin.create(target, options);
            try {
                String to = plugin.status(target, fresh).serverVersion();
                log.step("Copying the data of " + name + " from " + doc.type() + " " + from + " to " + to);
                copy(plugin, doc.instanceName(), doc.current(), target, fresh);
            } catch (AddonException | RuntimeException e) {
                dropQuietly(plugin, target, fresh);
                throw new AddonException("The upgrade of " + name + " failed while copying its data, and changed nothing: "
                        + e.getMessage(), e);
            }
            doc = doc.withUpgrade(target.value(), options, fresh);
            record(doc); // from here the new database is the add-on's, and the previous one is kept
            List<String> failed = new ArrayList<>();
            doc = moveApps(doc, plugin, fresh, "the upgraded " + name, log, failed);
            record(doc);
            if (!failed.isEmpty()) {
                throw new AddonException("Add-on " + name + " has its new database, but the release of " + String.join(", ", failed)
                        + " failed, and that app still uses the previous one. Run addon:upgrade --undo " + name
                        + " to move every app back.");
            }
            LOG.info("Add-on {} upgraded into {}; the previous database {} is kept until addon:upgrade --finish", name,
                    target, doc.previous().instance());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void finishUpgrade(AddonName name) throws AddonException {
        List<String> details = List.of();
        try {
            finishUpgradeNow(name);
        } catch (Exception e) {
            Audited.failed(audit, "addon.upgrade-finish", name.value(), details, e);
            throw e;
        }
        Audited.record(audit, "addon.upgrade-finish", name.value(), AuditResult.success(), details);
    }

    private void finishUpgradeNow(AddonName name) throws AddonException {
        ReentrantLock lock = catalog.lock(name);
        lock.lock();
        try {
            AddonDocument doc = requireUpgrade(name);
            plugins.require(doc.type()).destroy(doc.previous().instanceName(), doc.previous().current());
            record(doc.withPrevious(null));
            LOG.info("Add-on {}: the database it was upgraded from ({}) is dropped", name, doc.previous().instance());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void undoUpgrade(AddonName name, BuildLog log) throws AddonException, DeployException, InterruptedException {
        List<String> details = List.of();
        try {
            undoUpgradeNow(name, log);
        } catch (Exception e) {
            Audited.failed(audit, "addon.upgrade-undo", name.value(), details, e);
            throw e;
        }
        Audited.record(audit, "addon.upgrade-undo", name.value(), AuditResult.success(), details);
    }

    private void undoUpgradeNow(AddonName name, BuildLog log) throws AddonException, DeployException, InterruptedException {
        ReentrantLock lock = catalog.lock(name);
        lock.lockInterruptibly();
        try {
            AddonDocument doc = requireUpgrade(name);
            Database plugin = plugins.require(doc.type());
            List<String> failed = new ArrayList<>();
            AddonDocument back = moveApps(doc.undone(), plugin, doc.previous().current(), "the previous database of " + name,
                    log, failed);
            if (!failed.isEmpty()) {
                record(doc.withPrevious(doc.previous()));
                throw new AddonException("The release of " + String.join(", ", failed) + " failed; " + name + " stays"
                        + " upgraded, with its previous database kept. Run addon:upgrade --undo " + name + " again once"
                        + " the app deploys.");
            }
            record(back);
            dropQuietly(plugin, doc.instanceName(), doc.current());
            LOG.info("Add-on {}: back in {}; the upgraded database is dropped", name, doc.previous().instance());
        } finally {
            lock.unlock();
        }
    }

    private AddonDocument requireUpgrade(AddonName name) throws AddonException {
        AddonDocument doc = require(name);
        if (doc.previous() == null) {
            throw new AddonException("Add-on '" + name + "' has no upgrade waiting: addon:upgrade " + name + " starts one.");
        }
        return doc;
    }

    /** A plugin-side name for the add-on's next database: {@code shop-db-u2}, {@code -u3}..., free on the plugin. */
    private static final int MAX_NAME_LENGTH = 30;

    private AddonName nextInstance(AddonDocument doc) throws AddonException {
        for (int n = 2; n < 1000; n++) {
            String suffix = "-u" + n;
            String base = doc.name().length() + suffix.length() > MAX_NAME_LENGTH
                    ? doc.name().substring(0, MAX_NAME_LENGTH - suffix.length()) : doc.name();
            String candidate = base + suffix;
            if (!candidate.equals(doc.instanceName().value()) && AddonName.isValid(candidate)
                    && find(AddonName.of(candidate)).isEmpty()) {
                return AddonName.of(candidate);
            }
        }
        throw new AddonException("No free name for a new database of add-on '" + doc.name() + "'.");
    }

    /** Dumps one database and restores it into the other, through a file only the platform reads. */
    private void copy(Database plugin, AddonName from, AddonCredentials fromCredentials, AddonName to,
                      AddonCredentials toCredentials) throws AddonException {
        Path dump;
        try {
            dump = catalog.scratchFile(to);
        } catch (IOException e) {
            throw new AddonException("Cannot make a file for the dump: " + e.getMessage(), e);
        }
        try {
            try (OutputStream out = Files.newOutputStream(dump)) {
                plugin.dump(from, fromCredentials, out);
            }
            try (InputStream in = Files.newInputStream(dump)) {
                plugin.restore(to, toCredentials, in);
            }
        } catch (IOException e) {
            throw new AddonException("The dump could not be written or read: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(dump);
            } catch (IOException e) {
                LOG.warn("The dump {} could not be removed: {}", dump, e.getMessage());
            }
        }
    }

    private static void dropQuietly(Database plugin, AddonName instance, AddonCredentials credentials) {
        try {
            plugin.destroy(instance, credentials);
        } catch (AddonException | RuntimeException e) {
            LOG.warn("The database {} could not be dropped: {}", instance, e.getMessage());
        }
    }

    @Override
    public ClientCommand client(AddonName name) throws AddonException {
        // who was handed an add-on's credentials (addon:connect) is recorded; the credentials are not
        return Audited.run(audit, "addon.connect", name.value(), List.of(), () -> {
            AddonDocument doc = require(name);
            return plugins.require(doc.type()).client(doc.current());
        });
    }

    @Override
    public Provision provision(AppName app, List<AddonDeclaration> declared, Map<String, String> config, BuildLog log)
            throws DeployException, InterruptedException {
        Map<String, String> variables = new LinkedHashMap<>();
        Map<AddonName, Attachment> pending = new LinkedHashMap<>();
        Map<String, String> seen = new LinkedHashMap<>(config);
        for (AddonDeclaration d : declared) {
            AddonName name;
            try {
                name = AddonName.of(d.nameFor(app.value()));
            } catch (IllegalArgumentException e) {
                throw new DeployException("[[addons]] of type " + d.type() + ": " + e.getMessage()
                        + " Give the add-on a shorter name with name = \"...\".");
            }
            ReentrantLock lock = catalog.lock(name);
            if (!lock.tryLock(DEPLOY_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new DeployException("Add-on '" + name + "' is being changed by another operation; push again once it is done.");
            }
            try {
                AddonDocument doc = find(name).orElse(null);
                if (doc == null) {
                    log.step("Creating add-on " + name + " (" + d.type() + ")");
                    doc = createLocked(d.type(), name, Map.of());
                } else if (!doc.type().equals(d.type())) {
                    throw new DeployException("The app declares add-on '" + name + "' of type " + d.type()
                            + ", but it exists with type " + doc.type() + "; give the declaration another name.");
                }
                if (doc.attachments().containsKey(app.value())) {
                    continue;
                }
                Database plugin = plugins.require(doc.type());
                String prefix = d.prefix().orElse(plugin.defaultPrefix());
                Map<String, String> env = plugin.environment(doc.current(), prefix);
                refuseTaken(app, name, prefix, env, seen, "as");
                seen.putAll(env);
                variables.putAll(env);
                pending.put(name, new Attachment(prefix, new ArrayList<>(new TreeSet<>(env.keySet()))));
                log.info("Add-on " + name + " attached as " + prefix);
            } catch (AddonException e) {
                throw new DeployException("Add-on '" + name + "' declared by the app: " + e.getMessage(), e);
            } finally {
                lock.unlock();
            }
        }
        return new Provision() {
            @Override
            public Map<String, String> variables() {
                return variables;
            }

            @Override
            public void commit() {
                pending.forEach((name, attachment) -> attachLater(name, app, attachment));
            }
        };
    }

    /** Records an attachment made by a deploy that now serves. */
    private void attachLater(AddonName name, AppName app, Attachment attachment) {
        ReentrantLock lock = catalog.lock(name);
        lock.lock();
        try {
            Optional<AddonDocument> doc = catalog.find(name);
            if (doc.isEmpty()) {
                LOG.warn("App {}: add-on {} was destroyed during the deploy that attached it", app, name);
                return;
            }
            catalog.write(doc.get().withAttachment(app.value(), attachment));
            LOG.info("Add-on {} attached to app {} as {} by its deploy", name, app, attachment.prefix());
        } catch (IOException | RuntimeException e) {
            LOG.warn("App {}: the attachment of add-on {} could not be recorded: {}", app, name, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** An app was destroyed: its attachments go from the catalog; the add-ons and their data stay. */
    @Override
    public void handleEvent(Event event) {
        Object app = event.getProperty(Hop3Events.APP);
        if (app != null) {
            forget(String.valueOf(app));
        }
    }

    /** Removes every attachment to {@code app} from the catalog. */
    public void forget(String app) {
        for (AddonName name : names()) {
            ReentrantLock lock = catalog.lock(name);
            lock.lock();
            try {
                Optional<AddonDocument> doc = catalog.find(name);
                if (doc.isPresent() && doc.get().attachments().containsKey(app)) {
                    catalog.write(doc.get().withAttachment(app, null));
                    LOG.info("App {} destroyed: add-on {} detached from it; the add-on and its data are kept", app, name);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("App {} destroyed: add-on {} could not be detached from it: {}", app, name, e.getMessage());
            } finally {
                lock.unlock();
            }
        }
    }

    private Map<String, String> config(AppName app) throws AddonException {
        try {
            return apps.document(app).config();
        } catch (NoSuchElementException e) {
            throw new AddonException("No app named '" + app + "'; app:list lists them.");
        }
    }

    private Optional<AddonDocument> find(AddonName name) throws AddonException {
        try {
            return catalog.find(name);
        } catch (IOException | RuntimeException e) {
            throw new AddonException("Add-on '" + name + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /** A new release of the app with these variables set and those removed. */
    private void configure(AppName app, Map<String, String> set, Set<String> unset, BuildLog log)
            throws DeployException, InterruptedException {
        if (deploys != null) {
            deploys.configure(app, set, unset, log);
            return;
        }
        DeployService service = deployService.getService();
        try {
            service.configure(app, set, unset, log);
        } finally {
            deployService.ungetService(service);
        }
    }

    private AddonDocument require(AddonName name) throws AddonException {
        return find(name).orElseThrow(() -> new AddonException("No add-on named '" + name + "'; addon:list lists them."));
    }

    private void record(AddonDocument doc) throws AddonException {
        try {
            catalog.write(doc);
        } catch (IOException e) {
            throw new AddonException("Add-on '" + doc.name() + "' could not be recorded: " + e.getMessage(), e);
        }
    }
}
