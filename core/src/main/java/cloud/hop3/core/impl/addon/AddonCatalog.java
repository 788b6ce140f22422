package cloud.hop3.core.impl.addon;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.addon.AddonName;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.secret.SecretBox;
import cloud.hop3.core.impl.state.DocumentStore;

/**
 * The add-ons of the platform, one JSON document each under {@code HOP3_HOME/addons}, written
 * atomically and readable by the owner only. Credentials are sealed with the installation's
 * {@link SecretBox}, each value for its add-on and key, like the config vars of apps, so that a
 * copy of the state directory without the keys opens no database. Changes of one add-on are
 * serialised by its lock ({@link #lock}), which callers hold across a whole operation.
 */
@Component(service = AddonCatalog.class, configurationPid = CoreConfig.PID)
public class AddonCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(AddonCatalog.class);
    static final String DIRECTORY = "addons";
    /** Under {@link #DIRECTORY}: the scratch add-ons of restore checks under way. */
    static final String SCRATCH = "scratch";

    private final Map<AddonName, ReentrantLock> locks = new ConcurrentHashMap<>();
    private DocumentStore store;

    @Reference
    private SecretBox secrets;

    /** For DS. */
    public AddonCatalog() {
    }

    /** For tests and embedding: the catalog of the installation whose state directory is {@code home}. */
    public AddonCatalog(Path home, SecretBox secrets) throws IOException {
        this.secrets = secrets;
        open(home);
    }

    @Activate
    void activate(CoreConfig config) throws IOException {
        open(PlatformSettings.resolve(config).home());
    }

    /**
     * A change of core's configuration restarts nothing: the add-on service and the deploy
     * pipeline hold this catalog, and a restart of core's components stops the git server and the
     * routing. The state directory is read once, as {@code AppCatalog} reads it.
     */
    @Modified
    void modified(CoreConfig config) {
        // nothing to change: the state directory takes effect at the next start
    }

    private void open(Path home) throws IOException {
        store = new DocumentStore(home);
        Files.createDirectories(home.resolve(DIRECTORY));
        store.removeLeftovers(Path.of(DIRECTORY));
    }

    /** The lock that serialises the changes of one add-on. */
    public ReentrantLock lock(AddonName name) {
        return locks.computeIfAbsent(name, n -> new ReentrantLock(true));
    }

    /** One add-on, with its credentials opened. */
    public Optional<AddonDocument> find(AddonName name) throws IOException {
        Optional<AddonDocument> stored = store.read(path(name), AddonDocument.class);
        return stored.isPresent() ? Optional.of(convert(stored.get(), (value, context) -> secrets.open(value, context)))
                : Optional.empty();
    }

    /** The names of every add-on, sorted. */
    public List<AddonName> names() throws IOException {
        List<AddonName> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(store.root().resolve(DIRECTORY), "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                if (AddonName.isValid(name)) {
                    names.add(AddonName.of(name));
                }
            }
        }
        names.sort(null);
        return names;
    }

    /** Writes an add-on, its credentials sealed with the current key. */
    public void write(AddonDocument doc) throws IOException {
        store.writePrivate(path(AddonName.of(doc.name())), convert(doc, (value, context) -> secrets.seal(value, context)));
    }

    /**
     * A new empty file beside the add-ons' documents, the platform user's only, for data on its
     * way from one database to another; removed by whoever asked, or as a leftover at the next
     * start.
     */
    public Path scratchFile(AddonName name) throws IOException {
        return store.scratchFile(Path.of(DIRECTORY), name.value() + ".dump");
    }

    /**
     * Records a scratch add-on (one a restore check makes, never listed), its credentials sealed,
     * so that one a crash leaves behind is dropped at the next start.
     */
    public void writeScratch(AddonDocument doc) throws IOException {
        store.writePrivate(scratchPath(AddonName.of(doc.name())), convert(doc, (value, context) -> secrets.seal(value, context)));
    }

    /** The scratch add-ons recorded and not yet dropped; one that cannot be read is logged and skipped. */
    public List<AddonDocument> scratches() throws IOException {
        List<AddonDocument> found = new ArrayList<>();
        Path dir = store.root().resolve(DIRECTORY).resolve(SCRATCH);
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                try {
                    store.read(scratchPath(AddonName.of(name)), AddonDocument.class)
                            .ifPresent(doc -> found.add(convert(doc, (value, context) -> secrets.open(value, context))));
                } catch (IOException | RuntimeException e) {
                    LOG.error("The scratch add-on {} recorded in {} cannot be read ({}); drop its database by hand", name,
                            file, e.getMessage());
                }
            }
        }
        return found;
    }

    /** Forgets a scratch add-on once it is dropped. */
    public void deleteScratch(AddonName name) throws IOException {
        store.delete(scratchPath(name));
    }

    private static Path scratchPath(AddonName name) {
        return Path.of(DIRECTORY, SCRATCH, name.value() + ".json");
    }

    /** Removes an add-on's document. */
    public void delete(AddonName name) throws IOException {
        store.delete(path(name));
    }

    /**
     * Writes every add-on again with the current key, each under its lock, for a key rotation.
     *
     * @return how many were written, and a line per add-on that could not be
     */
    public int reseal(List<String> problems) throws IOException {
        int written = 0;
        for (AddonName name : names()) {
            ReentrantLock lock = lock(name);
            lock.lock();
            try {
                Optional<AddonDocument> doc = find(name);
                if (doc.isPresent()) {
                    write(doc.get());
                    written++;
                }
            } catch (IOException | RuntimeException e) {
                problems.add("add-on " + name + ": " + e.getMessage());
                LOG.warn("Add-on {}: its credentials could not be re-encrypted: {}", name, e.getMessage());
            } finally {
                lock.unlock();
            }
        }
        return written;
    }

    private static Path path(AddonName name) {
        return Path.of(DIRECTORY, name.value() + ".json");
    }

    /** {@code doc} with each credential value (current and retiring) passed through {@code each}. */
    private static AddonDocument convert(AddonDocument doc, BiFunction<String, String, String> each) {
        return new AddonDocument(AddonDocument.SCHEMA, doc.name(), doc.type(), doc.created(), doc.options(),
                values(doc.name(), doc.credentials(), each),
                doc.retiring().stream().map(r -> values(doc.name(), r, each)).toList(), doc.attachments(), doc.instance(),
                doc.previous() == null ? null : new AddonDocument.Previous(doc.previous().instance(), doc.previous().options(),
                        values(doc.name(), doc.previous().credentials(), each)));
    }

    private static Map<String, String> values(String name, Map<String, String> values,
                                              BiFunction<String, String, String> each) {
        Map<String, String> result = new TreeMap<>();
        values.forEach((key, value) -> result.put(key, each.apply(value, "addon " + name + " credential " + key)));
        return result;
    }
}
