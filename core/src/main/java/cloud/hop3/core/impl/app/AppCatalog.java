package cloud.hop3.core.impl.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppInfo;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.AppService;
import cloud.hop3.api.event.Hop3Events;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.state.DocumentStore;

/**
 * The apps of the platform, kept as one JSON document per app under {@code HOP3_HOME/apps}.
 * Changes to one app are serialised with a per-app lock; reads go to disk, so what is listed is
 * what survives a restart.
 */
@Component(service = AppService.class, configurationPid = CoreConfig.PID)
@Designate(ocd = CoreConfig.class)
public class AppCatalog implements AppService {

    private static final Logger LOG = LoggerFactory.getLogger(AppCatalog.class);
    private static final String DOCUMENT = "app.json";

    private final Map<AppName, Object> locks = new ConcurrentHashMap<>();
    private DocumentStore store;
    private Path appsDirectory;
    private Clock clock = Clock.systemUTC();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin events;

    /** For DS. */
    public AppCatalog() {
    }

    /** For tests and embedding: a catalog on a state directory, without events. */
    public AppCatalog(PlatformSettings settings, Clock clock) throws IOException {
        this.clock = clock;
        open(settings);
    }

    @Activate
    void activate(CoreConfig config) throws IOException {
        PlatformSettings settings = PlatformSettings.resolve(config);
        open(settings);
        LOG.info("Hop3 state directory: {}", settings.home());
    }

    private void open(PlatformSettings settings) throws IOException {
        store = new DocumentStore(settings.home());
        appsDirectory = settings.home().resolve("apps");
        Files.createDirectories(appsDirectory);
        try (DirectoryStream<Path> apps = Files.newDirectoryStream(appsDirectory, AppCatalog::isRealDirectory)) {
            for (Path app : apps) {
                store.removeLeftovers(Path.of("apps", app.getFileName().toString()));
            }
        }
    }

    @Override
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

    @Override
    public Optional<AppInfo> find(AppName name) {
        return read(name);
    }

    @Override
    public AppInfo create(AppName name) {
        synchronized (lock(name)) {
            if (read(name).isPresent()) {
                throw new IllegalStateException("App '" + name + "' already exists.");
            }
            AppDocument doc = new AppDocument(AppDocument.SCHEMA, name.value(), clock.instant(), List.of());
            try {
                Files.createDirectories(appsDirectory.resolve(name.value()).resolve("data"));
                store.write(document(name), doc);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create app '" + name + "'", e);
            }
            LOG.info("App {} created", name);
            post(Hop3Events.APP_CREATED, name);
            return toInfo(doc);
        }
    }

    @Override
    public void destroy(AppName name, boolean purge) {
        synchronized (lock(name)) {
            if (read(name).isEmpty()) {
                throw new NoSuchElementException("App '" + name + "' does not exist.");
            }
            Path dir = appsDirectory.resolve(name.value());
            try {
                store.delete(document(name));
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    for (Path entry : entries) {
                        if (purge || !entry.getFileName().toString().equals("data")) {
                            Tree.delete(entry);
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

    private Optional<AppInfo> read(AppName name) {
        if (Files.isSymbolicLink(appsDirectory.resolve(name.value()))) {
            throw new IllegalStateException("The directory of app '" + name + "' is a symbolic link; refusing to use it.");
        }
        Optional<AppDocument> doc;
        try {
            doc = store.read(document(name), AppDocument.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (doc.isPresent() && !name.value().equals(doc.get().name())) {
            throw new IllegalStateException("The state of app '" + name + "' names another app ('"
                    + doc.get().name() + "'); check " + appsDirectory.resolve(name.value()).resolve(DOCUMENT));
        }
        return doc.map(AppCatalog::toInfo);
    }

    private static boolean isRealDirectory(Path path) {
        return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
    }

    private static AppInfo toInfo(AppDocument doc) {
        Instant created = doc.created() == null ? Instant.EPOCH : doc.created();
        return new AppInfo(AppName.of(doc.name()), created, List.of(), doc.domains());
    }

    private static Path document(AppName name) {
        return Path.of("apps", name.value(), DOCUMENT);
    }

    private Object lock(AppName name) {
        return locks.computeIfAbsent(name, n -> new Object());
    }

    private void post(String topic, AppName name) {
        EventAdmin admin = events;
        if (admin != null) {
            admin.postEvent(new Event(topic, Map.of(Hop3Events.APP, name.value())));
        }
    }
}
