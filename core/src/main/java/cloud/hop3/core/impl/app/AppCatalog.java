package cloud.hop3.core.impl.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.app.Release;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.core.impl.audit.ActorProperties;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.DriversInUse;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.secret.SecretBox;
import cloud.hop3.core.impl.state.DocumentStore;
import cloud.hop3.plugin.support.files.Trees;

/**
 * The apps of the platform, kept as one JSON document per app under {@code HOP3_HOME/apps}: the
 * state store behind {@link cloud.hop3.api.app.AppService}.
 * Changes to one app are serialised with a per-app lock; reads go to disk, so what is listed is
 * what survives a restart: a document is parsed and its config opened again only when its file
 * changed (another file, time or size), else the last one read is reused, as routing reads every
 * app at every change of one. Config vars are encrypted on disk with the installation's
 * {@link SecretBox}; documents written before that are encrypted when the catalog opens.
 */
@Component(service = {AppCatalog.class, DriversInUse.class}, configurationPid = CoreConfig.PID)
@Designate(ocd = CoreConfig.class)
public class AppCatalog implements DriversInUse {

    private static final Logger LOG = LoggerFactory.getLogger(AppCatalog.class);
    private static final String DOCUMENT = "app.json";

    private final Map<AppName, Object> locks = new ConcurrentHashMap<>();
    /** The documents last read or written, with the file they came from. */
    private final Map<AppName, Read> reads = new ConcurrentHashMap<>();
    private DocumentStore store;
    private Path appsDirectory;
    private Path home;
    private Clock clock = Clock.systemUTC();

    @Reference
    private SecretBox secrets;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin events;

    /** For DS. */
    public AppCatalog() {
    }

    /** For tests and embedding: a catalog on a state directory, without events. */
    public AppCatalog(PlatformSettings settings, Clock clock) throws IOException {
        this(settings, clock, new SecretBox(settings.home(), clock));
    }

    /** For tests and embedding: a catalog on a state directory with these keys, without events. */
    public AppCatalog(PlatformSettings settings, Clock clock, SecretBox secrets) throws IOException {
        this.clock = clock;
        this.secrets = secrets;
        open(settings);
    }

    @Activate
    void activate(CoreConfig config) throws IOException {
        PlatformSettings settings = PlatformSettings.resolve(config);
        open(settings);
        home = settings.home();
        LOG.info("Hop3 state directory: {}", settings.home());
    }

    /**
     * A change of core's configuration restarts nothing (restarting core components would
     * restart the routing and the git server). The state directory is read once: a new one
     * takes effect when the platform restarts, and the log says so.
     */
    @Modified
    void modified(CoreConfig config) {
        Path wanted = PlatformSettings.resolve(config).home();
        if (home != null && !wanted.equals(home)) {
            LOG.warn("The state directory in cloud.hop3.core changed to {}; Hop3 keeps using {} until the platform restarts",
                    wanted, home);
        }
    }

    private void open(PlatformSettings settings) throws IOException {
        store = new DocumentStore(settings.home());
        appsDirectory = settings.home().resolve("apps");
        Files.createDirectories(appsDirectory);
        try (DirectoryStream<Path> apps = Files.newDirectoryStream(appsDirectory, AppCatalog::isRealDirectory)) {
            for (Path app : apps) {
                store.removeLeftovers(Path.of("apps", app.getFileName().toString()));
                encryptPlainConfig(app.getFileName().toString());
            }
        }
    }

    /** Rewrites an app document of an earlier schema, whose config values are plain, encrypted. */
    private void encryptPlainConfig(String dir) {
        if (!AppName.isValid(dir)) {
            return;
        }
        AppName name = AppName.of(dir);
        try {
            synchronized (lock(name)) {
                Optional<AppDocument> stored = store.read(documentPath(name), AppDocument.class);
                if (stored.isPresent() && stored.get().schema() < SealedConfig.SEALED_SCHEMA) {
                    update(name, doc -> doc);
                    LOG.info("App {}: config vars encrypted at rest", name);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("App {}: its config vars could not be encrypted at rest yet: {}", name, e.getMessage());
        }
    }

    /**
     * Writes an app's document again with the current key, for a key rotation.
     *
     * @throws NoSuchElementException when there is no such app
     */
    public void reseal(AppName name) {
        update(name, doc -> doc);
    }

    /** Every app, sorted by name. */
    public List<AppInfo> list() {
        List<AppInfo> result = new ArrayList<>();
        try (DirectoryStream<Path> apps = Files.newDirectoryStream(appsDirectory, AppCatalog::isRealDirectory)) {
            for (Path dir : apps) {
                String name = dir.getFileName().toString();
                if (!AppName.isValid(name)) {
                    continue;
                }
                try {
                    read(AppName.of(name)).ifPresent(result::add);
                } catch (RuntimeException e) {
                    LOG.warn("App {} is not listed: {}", name, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list apps in " + appsDirectory, e);
        }
        result.sort(Comparator.comparing(AppInfo::name));
        return result;
    }

    /**
     * The names of the app directories, also of apps whose document cannot be read (which
     * {@link #list()} leaves out), sorted.
     */
    public List<AppName> names() {
        List<AppName> result = new ArrayList<>();
        try (DirectoryStream<Path> apps = Files.newDirectoryStream(appsDirectory, AppCatalog::isRealDirectory)) {
            for (Path dir : apps) {
                String name = dir.getFileName().toString();
                if (AppName.isValid(name) && Files.exists(dir.resolve(DOCUMENT))) {
                    result.add(AppName.of(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list apps in " + appsDirectory, e);
        }
        result.sort(Comparator.comparing(AppName::value));
        return result;
    }

    /** The drivers that the apps' current releases run on, as recorded when they were put into service. */
    @Override
    public Set<String> runningApps() {
        Set<String> drivers = new TreeSet<>();
        for (AppName app : names()) {
            try {
                readDocument(app).filter(d -> d.current().isPresent() && !d.runsOn().isEmpty())
                        .ifPresent(d -> drivers.add(d.runsOn()));
            } catch (RuntimeException e) {
                LOG.warn("App {} is not counted among the drivers' apps: {}", app, e.getMessage());
            }
        }
        return drivers;
    }

    /** The app with this name, if it exists. */
    public Optional<AppInfo> find(AppName name) {
        return read(name);
    }

    /**
     * Creates an app with no release yet.
     *
     * @throws IllegalStateException    when an app of that name exists
     * @throws IllegalArgumentException when the name is the platform's own
     */
    public AppInfo create(AppName name) {
        if (name.value().equals(Actor.PLATFORM_USER)) {
            throw new IllegalArgumentException("The app name '" + name + "' is the platform's own (its REST API answers at "
                    + name + ".<domain>): choose another name.");
        }
        synchronized (lock(name)) {
            if (read(name).isPresent()) {
                throw new IllegalStateException("App '" + name + "' already exists.");
            }
            AppDocument doc = AppDocument.create(name.value(), clock.instant());
            try {
                Files.createDirectories(appsDirectory.resolve(name.value()).resolve("data"));
                store.writePrivate(documentPath(name), SealedConfig.seal(doc, secrets));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create app '" + name + "'", e);
            }
            LOG.info("App {} created", name);
            post(Hop3Events.APP_CREATED, name);
            return toInfo(doc);
        }
    }

    /**
     * Removes an app's state, keeping its data directory unless {@code purge} is set.
     *
     * @throws NoSuchElementException when there is no such app
     */
    public void destroy(AppName name, boolean purge) {
        synchronized (lock(name)) {
            if (read(name).isEmpty()) {
                throw new NoSuchElementException("App '" + name + "' does not exist.");
            }
            Path dir = appsDirectory.resolve(name.value());
            try {
                reads.remove(name);
                store.delete(documentPath(name));
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    for (Path entry : entries) {
                        if (purge || !entry.getFileName().toString().equals("data")) {
                            Trees.delete(entry);
                        }
                    }
                }
                if (purge) {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot destroy app '" + name + "'", e);
            }
            LOG.info("App {} destroyed{}", name, purge ? " with its data" : ", data kept");
            post(Hop3Events.APP_DESTROYED, name);
        }
    }

    /**
     * The stored state of an app.
     *
     * @throws NoSuchElementException when there is no such app
     */
    public AppDocument document(AppName name) {
        return readDocument(name).orElseThrow(() -> new NoSuchElementException("App '" + name + "' does not exist."));
    }

    /**
     * Changes an app's state atomically: {@code change} sees the current document and returns the
     * new one, which is written before this returns. Changes to one app are serialised.
     *
     * @throws NoSuchElementException when there is no such app
     */
    public AppDocument update(AppName name, UnaryOperator<AppDocument> change) {
        synchronized (lock(name)) {
            AppDocument next = change.apply(document(name));
            try {
                store.writePrivate(documentPath(name), SealedConfig.seal(next, secrets));
                remember(name, next);
            } catch (IOException e) {
                reads.remove(name);
                throw new UncheckedIOException("Cannot save app '" + name + "'", e);
            }
            return next;
        }
    }

    /**
     * A document as it was stored (its config sealed for the app it names), such as the copy of
     * {@code app.json} a backup holds, with its config opened: with the installation's keys, or
     * those a rotation retired since the backup was taken, or those a platform restore adopted.
     *
     * @throws cloud.hop3.core.impl.secret.SealingException when a value does not decrypt
     */
    public AppDocument opened(AppDocument stored) {
        return SealedConfig.openArchived(stored, secrets);
    }

    /** The platform's state directory (HOP3_HOME), which holds {@code apps/}. */
    public Path home() {
        return appsDirectory.getParent();
    }

    /** The directory of an app's state. */
    public Path directory(AppName name) {
        return appsDirectory.resolve(name.value());
    }

    private Optional<AppInfo> read(AppName name) {
        return readDocument(name).map(AppCatalog::toInfo);
    }

    private Optional<AppDocument> readDocument(AppName name) {
        if (Files.isSymbolicLink(appsDirectory.resolve(name.value()))) {
            throw new IllegalStateException("The directory of app '" + name + "' is a symbolic link; refusing to use it.");
        }
        Optional<BasicFileAttributes> file = attributes(name);
        if (file.isEmpty()) {
            reads.remove(name);
            return Optional.empty();
        }
        Read last = reads.get(name);
        if (last != null && last.of(file.get())) {
            return Optional.of(last.document());
        }
        Optional<AppDocument> doc;
        try {
            doc = store.read(documentPath(name), AppDocument.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (doc.isPresent() && !name.value().equals(doc.get().name())) {
            throw new IllegalStateException("The state of app '" + name + "' names another app ('"
                    + doc.get().name() + "'); check " + appsDirectory.resolve(name.value()).resolve(DOCUMENT));
        }
        Optional<AppDocument> opened = doc.map(stored -> SealedConfig.open(stored, secrets));
        // the file may have been replaced since it was looked at: then the next read sees another file
        opened.ifPresent(d -> reads.put(name, new Read(file.get(), d)));
        return opened;
    }

    /** The attributes of an app's document file, empty when there is none. */
    private Optional<BasicFileAttributes> attributes(AppName name) {
        try {
            return Optional.of(Files.readAttributes(appsDirectory.resolve(name.value()).resolve(DOCUMENT),
                    BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the document just written, under the file it was written to. */
    private void remember(AppName name, AppDocument written) {
        Optional<BasicFileAttributes> file = attributes(name);
        if (file.isPresent()) {
            reads.put(name, new Read(file.get(), written));
        } else {
            reads.remove(name);
        }
    }

    /**
     * A document as read (or written), with what identified its file then: documents are
     * replaced by renaming a new file over them, so another file, time or size is another document.
     */
    private record Read(Object fileKey, FileTime modified, long size, AppDocument document) {

        Read(BasicFileAttributes file, AppDocument document) {
            this(file.fileKey(), file.lastModifiedTime(), file.size(), document);
        }

        boolean of(BasicFileAttributes file) {
            return Objects.equals(fileKey, file.fileKey()) && modified.equals(file.lastModifiedTime())
                    && size == file.size();
        }
    }

    private static boolean isRealDirectory(Path path) {
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
    }

    private static AppInfo toInfo(AppDocument doc) {
        Instant created = doc.created() == null ? Instant.EPOCH : doc.created();
        List<Release> releases = doc.releases().stream()
                .map(r -> new Release(r.number(), "v" + r.artifact(), r.config(), new Formation(r.formation()),
                        r.created(), r.reason()))
                .toList();
        return new AppInfo(AppName.of(doc.name()), created, releases, doc.domains());
    }

    private static Path documentPath(AppName name) {
        return Path.of("apps", name.value(), DOCUMENT);
    }

    private Object lock(AppName name) {
        return locks.computeIfAbsent(name, n -> new Object());
    }

    private void post(String topic, AppName name) {
        EventAdmin admin = events;
        if (admin != null) {
            Map<String, Object> props = new java.util.LinkedHashMap<>();
            props.put(Hop3Events.APP, name.value());
            admin.postEvent(new Event(topic, ActorProperties.add(props)));
        }
    }
}
