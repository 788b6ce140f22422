package cloud.hop3.core.impl.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.state.DocumentStore;

/**
 * What runs, per app, in {@code HOP3_HOME/apps/<app>/processes.json}, written atomically and
 * readable only by the platform's user (the environments hold secrets). Writes of one app are
 * serialised here; the document of an app with no process left is deleted.
 */
final class ProcessLedger {

    static final String DOCUMENT = "processes.json";

    /** The document: a schema version and the processes. */
    record Document(int schema, List<ProcessRecord> processes) {
        static final int SCHEMA = 1;

        Document {
            processes = processes == null ? List.of() : List.copyOf(processes);
        }
    }

    private final DocumentStore store;
    private final Path appsDirectory;
    private final Map<AppName, Object> locks = new ConcurrentHashMap<>();

    ProcessLedger(DocumentStore store) {
        this.store = store;
        this.appsDirectory = store.root().resolve("apps");
    }

    /** The apps that have a ledger. */
    List<AppName> apps() throws IOException {
        List<AppName> apps = new ArrayList<>();
        if (!Files.isDirectory(appsDirectory)) {
            return apps;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(appsDirectory, p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (AppName.isValid(name) && Files.isRegularFile(dir.resolve(DOCUMENT), LinkOption.NOFOLLOW_LINKS)) {
                    apps.add(AppName.of(name));
                }
            }
        }
        apps.sort(null);
        return apps;
    }

    /** The processes recorded for an app. */
    List<ProcessRecord> read(AppName app) throws IOException {
        return store.read(path(app), Document.class).map(Document::processes).orElse(List.of());
    }

    /** Removes what interrupted writes left behind; only while nothing writes (before supervising). */
    void removeLeftovers(AppName app) throws IOException {
        store.removeLeftovers(Path.of("apps", app.value()));
    }

    /**
     * Writes an app's processes; the snapshot is taken under the app's lock, so the last writer
     * always writes the latest state.
     */
    void save(AppName app, Supplier<List<ProcessRecord>> snapshot) throws IOException {
        synchronized (locks.computeIfAbsent(app, a -> new Object())) {
            List<ProcessRecord> records = snapshot.get();
            if (records.isEmpty()) {
                store.delete(path(app));
            } else {
                store.writePrivate(path(app), new Document(Document.SCHEMA, records));
            }
        }
    }

    private static Path path(AppName app) {
        return Path.of("apps", app.value(), DOCUMENT);
    }
}
