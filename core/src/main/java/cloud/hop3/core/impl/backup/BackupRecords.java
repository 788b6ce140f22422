package cloud.hop3.core.impl.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.state.DocumentStore;

/**
 * Each app's {@link BackupRecord}, in {@code apps/<app>/backups.json}, written atomically; changes
 * of one app's record are serialised.
 */
final class BackupRecords {

    private static final String DOCUMENT = "backups.json";

    private final DocumentStore store;
    private final AppCatalog apps;
    private final Map<AppName, Object> locks = new ConcurrentHashMap<>();

    BackupRecords(Path home, AppCatalog apps) {
        this.store = new DocumentStore(home);
        this.apps = apps;
    }

    /** The app's record; {@link BackupRecord#NONE} when it has none, or it cannot be read. */
    BackupRecord read(AppName app) {
        try {
            return store.read(path(app), BackupRecord.class).orElse(BackupRecord.NONE);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(BackupRecords.class).warn("App {}: its backup record cannot be read: {}",
                    app, e.getMessage());
            return BackupRecord.NONE;
        }
    }

    /** Changes the app's record, when the app exists. */
    void update(AppName app, UnaryOperator<BackupRecord> change) {
        synchronized (locks.computeIfAbsent(app, a -> new Object())) {
            if (apps.find(app).isEmpty()) {
                return;
            }
            try {
                store.writePrivate(path(app), change.apply(read(app)));
            } catch (IOException e) {
                throw new UncheckedIOException("The backup record of app " + app + " cannot be written", e);
            }
        }
    }

    private static Path path(AppName app) {
        return Path.of("apps", app.value(), DOCUMENT);
    }
}
