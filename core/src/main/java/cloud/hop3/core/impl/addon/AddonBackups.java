package cloud.hop3.core.impl.addon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.addon.AddonCredentials;
import cloud.hop3.api.addon.AddonException;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.addon.Database;
import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.addon.AddonDocument.Attachment;

/**
 * The add-ons' side of backups: which add-ons an app has, a dump of one, and the data of one put
 * back, into the add-on itself or into a new one of the same type (created when missing) that is
 * then recorded as attached to the restored app. Each operation holds the add-on's lock, so a
 * dump never runs alongside a rotation or an upgrade of it. Changing the app's variables is the
 * caller's business: a restore sets them with the rest of the app's config before its deploy.
 */
@Component(service = AddonBackups.class)
public class AddonBackups {

    private static final Logger LOG = LoggerFactory.getLogger(AddonBackups.class);
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private final DatabasePlugins plugins = new DatabasePlugins();
    private final List<Database> unswept = new ArrayList<>();
    private boolean active;
    private final Clock clock;

    @Reference
    private AddonCatalog catalog;

    /** An add-on attached to an app. */
    public record Attached(AddonName name, String type, String prefix) {
    }

    /** For DS. */
    public AddonBackups() {
        clock = Clock.systemUTC();
    }

    /** For tests: the add-ons of {@code catalog}, with these plugins bound through {@link #addDatabase}. */
    public AddonBackups(AddonCatalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
        this.active = true;
    }

    @Reference(service = Database.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeDatabase")
    public void addDatabase(Database database, Map<String, Object> properties) {
        plugins.add(database, properties);
        synchronized (unswept) {
            if (!active) {
                unswept.add(database);
                return;
            }
        }
        dropLeftScratches(database);
    }

    /** Sweeps the scratch add-ons of the plugins bound before the catalog was there. */
    @Activate
    void activate() {
        List<Database> bound;
        synchronized (unswept) {
            active = true;
            bound = new ArrayList<>(unswept);
            unswept.clear();
        }
        bound.forEach(this::dropLeftScratches);
    }

    public void removeDatabase(Database database, Map<String, Object> properties) {
        plugins.remove(database, properties);
    }

    /** The add-ons attached to {@code app}, by name. */
    public List<Attached> attachedTo(AppName app) throws AddonException {
        List<Attached> found = new ArrayList<>();
        try {
            for (AddonName name : catalog.names()) {
                Optional<AddonDocument> doc = catalog.find(name);
                Attachment a = doc.map(d -> d.attachments().get(app.value())).orElse(null);
                if (a != null) {
                    found.add(new Attached(name, doc.get().type(), a.prefix()));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new AddonException("The add-ons of " + app + " cannot be read: " + e.getMessage(), e);
        }
        return found;
    }

    /** Whether an add-on of that name exists. */
    public boolean exists(AddonName name) throws AddonException {
        try {
            return catalog.find(name).isPresent();
        } catch (IOException | RuntimeException e) {
            throw new AddonException("Add-on '" + name + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /** Whether a plugin of {@code type} is installed. */
    public boolean installed(String type) {
        return plugins.find(type).isPresent();
    }

    /** The bundle and version of the plugin in use for {@code type}, for a backup's manifest. */
    public Optional<Map.Entry<String, String>> pluginVersion(String type) {
        return plugins.find(type).map(db -> {
            Bundle bundle = FrameworkUtil.getBundle(db.getClass());
            return bundle == null ? Map.entry(db.getClass().getName(), "unknown")
                    : Map.entry(bundle.getSymbolicName(), bundle.getVersion().toString());
        });
    }

    /** Writes a dump of the add-on's data to {@code out}, in its server's own format. */
    public void dump(AddonName name, OutputStream out) throws AddonException, InterruptedException {
        ReentrantLock lock = catalog.lock(name);
        lock.lockInterruptibly();
        try {
            AddonDocument doc = require(name);
            plugins.require(doc.type()).dump(doc.instanceName(), doc.current(), out);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The add-on's change mark ({@link Database#changeMark}), read in the add-on's turn as a dump
     * is; empty when its plugin has none.
     */
    public Optional<String> changeMark(AddonName name) throws AddonException, InterruptedException {
        ReentrantLock lock = catalog.lock(name);
        lock.lockInterruptibly();
        try {
            AddonDocument doc = require(name);
            return plugins.require(doc.type()).changeMark(doc.instanceName(), doc.current());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts a dump back into the add-on {@code name}, creating it with {@code type} when it does not
     * exist, and records it as attached to {@code app} under {@code prefix}.
     *
     * @return the variables the app gets from it
     * @throws AddonException when it exists with another type, or the plugin refuses
     */
    public Map<String, String> restore(AddonName name, String type, InputStream dump, AppName app, String prefix)
            throws AddonException, InterruptedException {
        ReentrantLock lock = catalog.lock(name);
        lock.lockInterruptibly();
        try {
            Database plugin = plugins.require(type);
            Optional<AddonDocument> found = find(name);
            AddonDocument doc;
            if (found.isPresent()) {
                doc = found.get();
                if (!doc.type().equals(type)) {
                    throw new AddonException("Add-on '" + name + "' exists with type " + doc.type() + ", not " + type + ".");
                }
            } else {
                AddonCredentials credentials = plugin.create(name, Map.of());
                doc = new AddonDocument(AddonDocument.SCHEMA, name.value(), type, clock.instant(), Map.of(),
                        credentials.values(), List.of(), Map.of());
                write(doc);
                LOG.info("Add-on {} ({}) created to restore a backup of app {}", name, type, app);
            }
            plugin.restore(doc.instanceName(), doc.current(), dump);
            Map<String, String> variables = plugin.environment(doc.current(), prefix);
            write(doc.withAttachment(app.value(), new Attachment(prefix, new ArrayList<>(new TreeSet<>(variables.keySet())))));
            LOG.info("Add-on {}: data restored from a backup, attached to app {} as {}", name, app, prefix);
            return variables;
        } finally {
            lock.unlock();
        }
    }

    /** What a dump of a {@code type} add-on holds, counted from the dump; empty when the plugin cannot tell. */
    public Map<String, Long> countDump(String type, InputStream dump) throws AddonException {
        return plugins.require(type).countDump(dump);
    }

    /**
     * Restores a dump into a scratch add-on of {@code type} and counts what it then holds, as
     * {@link Database#count} counts: the scratch add-on is made by the plugin under a name no
     * add-on has ({@code chk-<6 hex>}), never recorded nor attached, and dropped afterwards,
     * also when the restore fails.
     */
    public Map<String, Long> countRestored(String type, InputStream dump) throws AddonException, InterruptedException {
        Database plugin = plugins.require(type);
        AddonName scratch = null;
        for (int i = 0; i < 10 && scratch == null; i++) {
            AddonName candidate = AddonName.of("chk-" + java.util.HexFormat.of().toHexDigits(RANDOM.nextInt()).substring(2));
            if (find(candidate).isEmpty()) {
                scratch = candidate;
            }
        }
        if (scratch == null) {
            throw new AddonException("No free name for a scratch add-on");
        }
        AddonCredentials credentials = plugin.create(scratch, Map.of());
        AddonDocument record = new AddonDocument(AddonDocument.SCHEMA, scratch.value(), type, clock.instant(), Map.of(),
                credentials.values(), List.of(), Map.of(), null, null);
        try {
            catalog.writeScratch(record);
        } catch (IOException e) {
            LOG.warn("The scratch add-on {} ({}) could not be recorded; a crash now would leave it: {}", scratch, type,
                    e.getMessage());
        }
        try {
            plugin.restore(scratch, credentials, dump);
            return plugin.count(scratch, credentials);
        } finally {
            drop(plugin, record);
        }
    }

    /** Drops a scratch add-on and forgets it; a failure is an ERROR line, and the record stays for the next start. */
    private void drop(Database plugin, AddonDocument scratch) {
        try {
            plugin.destroy(scratch.instanceName(), scratch.current());
            catalog.deleteScratch(AddonName.of(scratch.name()));
        } catch (AddonException | IOException | RuntimeException e) {
            LOG.error("The scratch add-on {} ({}) of a restore check could not be dropped: {}", scratch.name(),
                    scratch.type(), e.getMessage());
        }
    }

    /**
     * Drops the scratch add-ons of {@code plugin}'s type that restore checks cut short by a crash
     * left behind. Runs on a thread of its own: the plugin may have to start its server first.
     */
    private void dropLeftScratches(Database plugin) {
        Thread t = new Thread(() -> {
            try {
                for (AddonDocument left : catalog.scratches()) {
                    if (left.type().equals(plugin.type())) {
                        LOG.warn("Dropping the scratch add-on {} ({}) that an interrupted restore check left", left.name(),
                                left.type());
                        drop(plugin, left);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("The scratch add-ons left by interrupted restore checks cannot be listed: {}", e.getMessage());
            }
        }, "hop3-scratch-addons");
        t.setDaemon(true);
        t.start();
    }

    /** Drops an add-on that a failed restore made, with its data, and forgets it. */
    public void discard(AddonName name) throws AddonException, InterruptedException {
        ReentrantLock lock = catalog.lock(name);
        lock.lockInterruptibly();
        try {
            Optional<AddonDocument> doc = find(name);
            if (doc.isEmpty()) {
                return;
            }
            plugins.require(doc.get().type()).destroy(doc.get().instanceName(), doc.get().current());
            catalog.delete(name);
            LOG.info("Add-on {} made by a failed restore dropped", name);
        } catch (IOException e) {
            throw new AddonException("Add-on '" + name + "' could not be forgotten: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private Optional<AddonDocument> find(AddonName name) throws AddonException {
        try {
            return catalog.find(name);
        } catch (IOException | RuntimeException e) {
            throw new AddonException("Add-on '" + name + "' cannot be read: " + e.getMessage(), e);
        }
    }

    private AddonDocument require(AddonName name) throws AddonException {
        return find(name).orElseThrow(() -> new AddonException("No add-on named '" + name + "'; addon:list lists them."));
    }

    private void write(AddonDocument doc) throws AddonException {
        try {
            catalog.write(doc);
        } catch (IOException e) {
            throw new AddonException("Add-on '" + doc.name() + "' could not be recorded: " + e.getMessage(), e);
        }
    }
}
