package cloud.hop3.core.impl.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;

import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.secret.SecretBox;
import cloud.hop3.core.impl.state.DocumentStore;

/**
 * What runs, per app, in {@code HOP3_HOME/apps/<app>/processes.json}, written atomically and
 * readable only by the platform's user. The environments hold the apps' config vars, so their
 * values are encrypted at rest like the app documents' (schema 2; a schema 1 document of an
 * earlier version is read in plain and encrypted at its next write). Writes of one app are
 * serialised here; the document of an app with no process left is deleted.
 */
final class ProcessLedger {

    static final String DOCUMENT = "processes.json";

    /** The document: a schema version and the processes. */
    record Document(int schema, List<ProcessRecord> processes) {
        static final int PLAIN = 1;
        static final int SEALED = 2;

        Document {
            processes = processes == null ? List.of() : List.copyOf(processes);
        }
    }

    private final DocumentStore store;
    private final SecretBox secrets;
    private final Path appsDirectory;
    private final Map<AppName, Object> locks = new ConcurrentHashMap<>();

    /** A ledger that keeps environments in plain text (tests and embedding without a key). */
    ProcessLedger(DocumentStore store) {
        this(store, null);
    }

    /** A ledger whose environment values {@code secrets} encrypts; {@code null} for plain ones. */
    ProcessLedger(DocumentStore store, SecretBox secrets) {
        this.store = store;
        this.secrets = secrets;
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
        Optional<Document> doc = store.read(path(app), Document.class);
        if (doc.isEmpty()) {
            return List.of();
        }
        if (doc.get().schema() < Document.SEALED) {
            return doc.get().processes();
        }
        if (secrets == null) {
            throw new IOException(path(app) + " holds encrypted environments, and this ledger has no key");
        }
        return doc.get().processes().stream().map(r -> withEnv(r, convert(r, secrets::open))).toList();
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
                store.writePrivate(path(app), secrets == null ? new Document(Document.PLAIN, records)
                        : new Document(Document.SEALED, records.stream().map(r -> withEnv(r, convert(r, secrets::seal))).toList()));
            }
        }
    }

    private static Map<String, String> convert(ProcessRecord record, BinaryOperator<String> each) {
        Map<String, String> env = new TreeMap<>();
        record.env().forEach((name, value) -> env.put(name,
                each.apply(value, "app " + record.app() + " process " + record.id() + " env " + name)));
        return env;
    }

    private static ProcessRecord withEnv(ProcessRecord r, Map<String, String> env) {
        return new ProcessRecord(r.id(), r.app(), r.release(), r.type(), r.index(), r.port(), r.pid(), r.started(),
                r.command(), env, r.workingDirectory(), r.restarts(), r.crashed(), r.limits());
    }

    private static Path path(AppName app) {
        return Path.of("apps", app.value(), DOCUMENT);
    }
}
