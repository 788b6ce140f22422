package cloud.hop3.core.impl.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.build.BuildLog;
import cloud.hop3.api.deploy.DeployLogChunk;
import cloud.hop3.api.deploy.DeployLogs;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.core.impl.state.DocumentStore;

/**
 * The log of each app's latest deploy, as the pusher sees it: the lines in memory while it runs,
 * and, once it ended, in {@code apps/<app>/deploy-log.json} (owner-only, written atomically), read
 * back after a restart. A deploy keeps at most {@link #MAX_LINES} lines; beyond, one line says how
 * many were left out. Its last line says how it ended ({@code -----> Done.} or {@code  !     Failed: reason}).
 * Readers waiting for more are woken by each line.
 */
@Component(service = {DeployLogs.class, DeployLogBook.class}, configurationPid = CoreConfig.PID)
public class DeployLogBook implements DeployLogs {

    private static final Logger LOG = LoggerFactory.getLogger(DeployLogBook.class);
    static final int MAX_LINES = 20_000;

    /** One deploy's log; {@code ok} is null while it runs. */
    record Entry(String deploy, String title, String started, Boolean ok, List<String> lines, boolean running) {
    }

    private final Map<AppName, Entry> latest = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Clock clock = Clock.systemUTC();
    /** The state directory's documents; null keeps the logs in memory only. */
    private volatile DocumentStore store;

    /** For DS. */
    public DeployLogBook() {
    }

    /** For tests: logs kept under {@code home}'s {@code apps/}; null keeps them in memory only. */
    public DeployLogBook(Path home) {
        this.store = home == null ? null : new DocumentStore(home);
    }

    @Activate
    void activate(CoreConfig config) {
        store = new DocumentStore(PlatformSettings.resolve(config).home());
    }

    /** Called by SCR when core's configuration changes: the logs' place does not move while the platform runs. */
    @Modified
    void modified(CoreConfig config) {
        // nothing to change
    }

    /**
     * Starts the log of a new deploy of {@code app}: the returned log writes to it and to
     * {@code log}; {@link Running#end} ends it.
     */
    public Running begin(AppName app, String title, BuildLog log) {
        String id = clock.millis() + "-" + sequence.incrementAndGet();
        synchronized (this) {
            latest.put(app, new Entry(id, title, clock.instant().toString(), null, new ArrayList<>(), true));
            notifyAll();
        }
        return new Running(app, id, log);
    }

    /** A deploy under way: its build log, which also goes to the book. */
    public final class Running implements BuildLog {
        private final AppName app;
        private final String id;
        private final BuildLog log;

        private Running(AppName app, String id, BuildLog log) {
            this.app = app;
            this.id = id;
            this.log = log;
        }

        @Override
        public void step(String text) {
            log.step(text);
            add("-----> " + text);
        }

        @Override
        public void info(String text) {
            log.info(text);
            add("       " + text);
        }

        @Override
        public void warn(String text) {
            log.warn(text);
            add(" !     " + text);
        }

        private void add(String line) {
            synchronized (DeployLogBook.this) {
                Entry e = latest.get(app);
                if (e == null || !e.deploy().equals(id)) {
                    return;
                }
                if (e.lines().size() < MAX_LINES) {
                    e.lines().add(line);
                } else if (e.lines().size() == MAX_LINES) {
                    e.lines().add(" !     (later lines of this deploy are not kept)");
                }
                DeployLogBook.this.notifyAll();
            }
        }

        /** Ends the deploy's log, with its outcome (and the failure's reason), and saves it. */
        public void end(boolean ok, String failure) {
            Entry done;
            synchronized (DeployLogBook.this) {
                Entry e = latest.get(app);
                if (e == null || !e.deploy().equals(id)) {
                    return;
                }
                // the last line says how it ended, so that a follower waiting for a line learns it
                e.lines().add(ok ? "-----> Done." : " !     Failed: " + (failure == null || failure.isBlank() ? "see above" : failure));
                done = new Entry(e.deploy(), e.title(), e.started(), ok, e.lines(), false);
                latest.put(app, done);
                DeployLogBook.this.notifyAll();
            }
            save(app, done);
        }
    }

    private void save(AppName app, Entry entry) {
        DocumentStore documents = store;
        // a destroyed app's directory is not made again for its last log
        if (documents == null || !Files.isDirectory(documents.root().resolve(document(app)).getParent())) {
            return;
        }
        try {
            documents.writePrivate(document(app), entry);
        } catch (IOException e) {
            LOG.warn("App {}: the log of its deploy could not be saved: {}", app, e.getMessage());
        }
    }

    private static Path document(AppName app) {
        return Path.of("apps", app.value(), "deploy-log.json");
    }

    private Entry entry(AppName app) {
        Entry e = latest.get(app);
        DocumentStore documents = store;
        if (e != null || documents == null) {
            return e;
        }
        try {
            Optional<Entry> read = documents.read(document(app), Entry.class);
            if (read.isEmpty()) {
                return null;
            }
            Entry r = read.get();
            latest.putIfAbsent(app, new Entry(r.deploy(), r.title(), r.started(), r.ok(), new ArrayList<>(r.lines()), false));
            return latest.get(app);
        } catch (IOException | RuntimeException e2) {
            LOG.warn("App {}: the log of its last deploy cannot be read: {}", app, e2.getMessage());
            return null;
        }
    }

    @Override
    public synchronized DeployLogChunk read(AppName app, int from, int max) {
        Entry e = entry(app);
        if (e == null) {
            return new DeployLogChunk("", "", null, false, null, List.of(), 0);
        }
        int start = Math.max(0, Math.min(from, e.lines().size()));
        int end = (int) Math.min(e.lines().size(), (long) start + Math.max(0, max));
        return new DeployLogChunk(e.deploy(), e.title(), Instant.parse(e.started()), e.running(), e.ok(),
                List.copyOf(e.lines().subList(start, end)), end);
    }

    @Override
    public synchronized DeployLogChunk await(AppName app, String deploy, int from, int max, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Entry e = entry(app);
            boolean same = e != null && e.deploy().equals(deploy);
            DeployLogChunk chunk = read(app, same ? from : 0, max);
            boolean news = e != null && (!same || chunk.next() > from);
            long left = deadline - System.nanoTime();
            if (news || left <= 0) {
                return chunk;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
