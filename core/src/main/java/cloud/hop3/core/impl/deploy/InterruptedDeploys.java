package cloud.hop3.core.impl.deploy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.access.Actor;
import cloud.hop3.api.access.Door;
import cloud.hop3.api.app.AppName;
import cloud.hop3.api.deploy.InterruptedDeploy;
import cloud.hop3.core.impl.app.AppCatalog;
import cloud.hop3.core.impl.app.AppDocument;
import cloud.hop3.core.impl.state.DocumentStore;
import cloud.hop3.plugin.support.files.Trees;

/**
 * Deploys under way, as marks on disk, so that one that a stop of the platform's JVM (a crash,
 * kill -9, an out-of-memory exit) cut short is found at the next start.
 * <p>
 * A deploy writes {@code apps/<app>/deploying.json} (app, revision, release, actor, start, and
 * the JVM that runs it) when it starts and removes it when it ends, either way. At the next start,
 * a mark left by a JVM that no longer runs is a deploy that was interrupted: its build folder
 * (under {@code tmp/builds}) and every release directory that the app's state does not record are
 * removed, and it becomes {@code apps/<app>/deploy-interrupted.json}, reported by
 * {@code app:info} until a deploy of the app succeeds. Its release was never recorded, so it
 * never becomes current: the app serves the release it served before. A mark whose release the
 * state does record was cut after its switch: that deploy happened, and is not reported.
 * Build folders of a JVM that no longer runs (older than this one) are removed too: no build of
 * this JVM has started yet when {@link #recover} runs.
 */
public final class InterruptedDeploys {

    private static final Logger LOG = LoggerFactory.getLogger(InterruptedDeploys.class);
    static final String MARK = "deploying.json";
    static final String INTERRUPTED = "deploy-interrupted.json";

    /**
     * The mark of a deploy under way.
     *
     * @param build the build folder under {@code tmp/builds} the source was checked out into; null when the source is elsewhere
     * @param jvm   the JVM that runs the deploy
     */
    record Mark(String app, String revision, int release, String user, String door, String address, Instant started,
                String build, Jvm jvm) {
    }

    /** A JVM by its pid and the instant the system says it started: a pid alone is handed to another process later. */
    record Jvm(long pid, Instant started) {

        /** This JVM. */
        static Jvm current() {
            ProcessHandle self = ProcessHandle.current();
            return new Jvm(self.pid(), self.info().startInstant()
                    .orElse(Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime())));
        }

        /** Whether this JVM still runs (another process with the same pid does not count). */
        boolean running() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .map(h -> h.info().startInstant().map(started::equals).orElse(true))
                    .orElse(false);
        }
    }

    /** What was recorded of an interrupted deploy, as stored. */
    record Record(String app, String revision, String user, String door, String address, Instant started, Instant found) {
    }

    /** What {@link #recover} found: the interrupted deploys, and the deploys that completed their switch before the stop. */
    public record Recovery(List<InterruptedDeploy> interrupted, List<InterruptedDeploy> completed) {
    }

    private final AppCatalog apps;
    private final DocumentStore store;
    private final Path builds;
    private final Clock clock;
    private final Jvm jvm;

    /** Marks of the apps of {@code apps}, under {@code home} (HOP3_HOME), made by this JVM. */
    public InterruptedDeploys(AppCatalog apps, Path home, Clock clock) {
        this(apps, home, clock, Jvm.current());
    }

    InterruptedDeploys(AppCatalog apps, Path home, Clock clock, Jvm jvm) {
        this.apps = apps;
        this.store = new DocumentStore(home);
        this.builds = store.root().resolve("tmp").resolve("builds");
        this.clock = clock;
        this.jvm = jvm;
    }

    /** Marks a deploy of {@code app} as under way. */
    void begin(AppName app, String revision, int release, Path source, Actor actor) throws IOException {
        Path build = buildFolder(source);
        store.writePrivate(mark(app), new Mark(app.value(), revision, release, actor.user(), actor.door().name(),
                actor.address(), clock.instant(), build == null ? null : build.toString(), jvm));
    }

    /** The deploy of {@code app} ended; one that succeeded also clears the report of an earlier interrupted one. */
    void end(AppName app, boolean succeeded) {
        try {
            store.delete(mark(app));
            if (succeeded) {
                store.delete(interrupted(app));
            }
        } catch (IOException e) {
            LOG.warn("App {}: the mark of its deploy could not be removed: {}", app, e.getMessage());
        }
    }

    /** The app's last deploy, if a stop of the platform interrupted it and no deploy succeeded since. */
    public Optional<InterruptedDeploy> find(AppName app) {
        try {
            return store.read(interrupted(app), Record.class).map(r -> report(app, r));
        } catch (IOException | RuntimeException e) {
            LOG.warn("App {}: {} cannot be read: {}", app, INTERRUPTED, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Finds the deploys that a JVM which no longer runs left marked, cleans up after them and
     * records them; then removes the build folders such a JVM left. Call it before any deploy of
     * this JVM starts.
     */
    public Recovery recover() {
        List<InterruptedDeploy> interrupted = new ArrayList<>();
        List<InterruptedDeploy> completed = new ArrayList<>();
        for (AppName app : apps.names()) {
            Optional<Mark> found;
            try {
                found = store.read(mark(app), Mark.class);
            } catch (IOException | RuntimeException e) {
                LOG.warn("App {}: its deploy mark cannot be read, and is removed: {}", app, e.getMessage());
                end(app, false);
                continue;
            }
            if (found.isEmpty() || found.get().jvm() != null && found.get().jvm().running()) {
                // no deploy, or one that this JVM (or another that still runs) is doing
                continue;
            }
            try {
                recover(app, found.get(), interrupted, completed);
            } catch (IOException | RuntimeException e) {
                LOG.error("App {}: the deploy of {} interrupted by a platform stop could not be cleaned up: {}", app,
                        found.get().revision(), e.getMessage());
            }
        }
        sweepBuilds();
        return new Recovery(interrupted, completed);
    }

    private void recover(AppName app, Mark mark, List<InterruptedDeploy> interrupted, List<InterruptedDeploy> completed)
            throws IOException {
        Instant now = clock.instant();
        Actor actor = actor(mark);
        InterruptedDeploy deploy = new InterruptedDeploy(app, String.valueOf(mark.revision()), actor, mark.started(), now);
        removeBuild(app, mark);
        AppDocument doc = apps.document(app);
        if (doc.release(mark.release()).filter(r -> r.artifact() == mark.release() && deploy.revision().equals(r.revision()))
                .isPresent()) {
            // the stop came after the switch: the release is recorded and serves
            store.delete(interrupted(app));
            store.delete(mark(app));
            completed.add(deploy);
            return;
        }
        removeHalfReleases(app, doc);
        store.writePrivate(interrupted(app), new Record(app.value(), deploy.revision(), actor.user(), actor.door().name(),
                actor.address(), deploy.started(), now));
        store.delete(mark(app));
        interrupted.add(deploy);
    }

    /** Removes the release directories of {@code app} that no release of its state builds on: never recorded, half made. */
    private void removeHalfReleases(AppName app, AppDocument doc) throws IOException {
        Set<String> recorded = doc.releases().stream().map(r -> String.valueOf(r.artifact())).collect(Collectors.toSet());
        Path releases = apps.directory(app).resolve("releases");
        if (!Files.isDirectory(releases, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(releases)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.matches("[0-9]+") && !recorded.contains(name)) {
                    Trees.delete(dir);
                    LOG.info("App {}: removed release directory {}, which no release records", app, name);
                }
            }
        }
    }

    private void removeBuild(AppName app, Mark mark) throws IOException {
        if (mark.build() == null) {
            return;
        }
        Path build = Path.of(mark.build()).normalize();
        // the mark is the platform's own file, but a path from disk is checked before a delete all the same
        if (build.getParent() != null && build.getParent().equals(builds) && Files.exists(build, LinkOption.NOFOLLOW_LINKS)) {
            Trees.delete(build);
            LOG.info("App {}: removed the build folder {} of the interrupted deploy", app, build);
        }
    }

    /** Removes what a JVM that no longer runs left in {@code tmp/builds}: anything older than this JVM. */
    private void sweepBuilds() {
        if (!Files.isDirectory(builds, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(builds)) {
            for (Path entry : entries) {
                if (Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(jvm.started())) {
                    Trees.delete(entry);
                    LOG.info("Removed the build folder {}, left by an earlier run of the platform", entry);
                }
            }
        } catch (IOException e) {
            LOG.warn("The build folders in {} left by an earlier run could not all be removed: {}", builds, e.getMessage());
        }
    }

    /** The folder directly under {@code tmp/builds} that holds {@code source}, if it is there. */
    private Path buildFolder(Path source) {
        Path s = source.toAbsolutePath().normalize();
        if (!s.startsWith(builds) || s.equals(builds)) {
            return null;
        }
        return builds.resolve(builds.relativize(s).getName(0));
    }

    private static Actor actor(Mark mark) {
        try {
            return new Actor(mark.user(), Door.valueOf(mark.door()), mark.address());
        } catch (IllegalArgumentException | NullPointerException e) {
            return Actor.platform(Door.PLATFORM);
        }
    }

    private static InterruptedDeploy report(AppName app, Record r) {
        Actor actor = actor(new Mark(r.app(), r.revision(), 0, r.user(), r.door(), r.address(), r.started(), null, null));
        return new InterruptedDeploy(app, String.valueOf(r.revision()), actor, r.started(), r.found());
    }

    private static Path mark(AppName app) {
        return Path.of("apps", app.value(), MARK);
    }

    private static Path interrupted(AppName app) {
        return Path.of("apps", app.value(), INTERRUPTED);
    }
}
