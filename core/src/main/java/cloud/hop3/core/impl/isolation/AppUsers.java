package cloud.hop3.core.impl.isolation;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import cloud.hop3.api.app.AppName;
import cloud.hop3.core.impl.platform.CoreConfig;
import cloud.hop3.core.impl.platform.PlatformSettings;
import cloud.hop3.plugin.support.account.SystemUsers;

/**
 * Every app's own Unix user and group, and the owners and modes of the app's files that go with
 * it: the app reads its slug (owned by the platform, group the app's, no write), writes its
 * {@code DATA_DIR} and the build's directories (owned by the app), and reaches nothing else of the
 * platform or of another app (their directories have no permission for others).
 * <p>
 * Users are created when an app is created or first deployed and removed when it is destroyed,
 * through {@link SystemUsers}; both are idempotent, so a user left by a destroy that crashed is
 * reused by the next app of that name, or removed by the next destroy. A user that exists with
 * the name but not the comment of this app's user is never taken over. Each launch asks for the
 * app's user ({@link #user}), which creates it again where it went missing, and each deploy,
 * restart and start puts the app's files in order ({@link #ensure}), so an app deployed before
 * isolation existed gets its user and owners at its next deploy or start.
 * <p>
 * Isolation needs the platform to run as root (switching users and changing owners are root's
 * rights), util-linux {@code setpriv}, the shadow-utils commands, and a home directory that other
 * users may traverse. Without one of these, apps run as the platform's user, the files are still
 * owner-only, and {@link #notIsolatedBecause()} says why: at start in the log and in
 * {@code $HOP3_HOME/isolation} (which {@code bin/hop3 start} prints), and in {@code app:info}.
 */
@Component(service = AppUsers.class, immediate = true, configurationPid = CoreConfig.PID)
public class AppUsers {

    /** The file, under the home, that says in one line how apps are isolated. */
    public static final String STATUS_FILE = "isolation";

    private static final Logger LOG = LoggerFactory.getLogger(AppUsers.class);
    private static final ThreadLocal<AppUser> BUILDING = new ThreadLocal<>();

    private final SystemUsers accounts = new SystemUsers();
    private Path home;
    private Optional<String> notIsolated = Optional.of("not started");

    /** For DS. */
    public AppUsers() {
    }

    /** For tests and embedding: apps under {@code home}, isolated when the machine allows it and {@code wanted}. */
    public AppUsers(Path home, boolean wanted) throws IOException {
        open(home, wanted);
    }

    /** Apps that run as the platform's user, for tests of other parts that need no users. */
    public static AppUsers none(Path home) {
        AppUsers users = new AppUsers();
        users.home = home;
        users.notIsolated = Optional.of("isolation is off");
        return users;
    }

    @Activate
    void activate(CoreConfig config) throws IOException {
        open(PlatformSettings.resolve(config).home(), true);
    }

    /**
     * A change of core's configuration restarts nothing (the process driver and the git server
     * hold this component): whether apps are isolated is decided at the start, with the state
     * directory.
     */
    @Modified
    void modified(CoreConfig config) {
        // nothing to change until the platform restarts
    }

    private void open(Path home, boolean wanted) throws IOException {
        this.home = home;
        Files.createDirectories(home.resolve("apps"));
        notIsolated = wanted ? Isolation.obstacle(home) : Optional.of("isolation is off");
        HomeModes.apply(home, isolated());
        String status = "isolation: " + (isolated() ? "own user per app (" + UserNames.PREFIX + "<app>)"
                : "none, apps run as the platform's user because " + notIsolated.get());
        Path file = home.resolve(STATUS_FILE);
        Files.writeString(file, status + "\n");
        FileModes.set(file, "rw-------");
        if (isolated()) {
            LOG.info("Apps are isolated: each builds and runs as a Unix user of its own ({}<app>)", UserNames.PREFIX);
        } else {
            LOG.warn("Apps are NOT isolated from each other or from the platform: they run as the platform's user"
                    + " because {}", notIsolated.get());
        }
    }

    /** Whether apps run as users of their own. */
    public boolean isolated() {
        return notIsolated.isEmpty();
    }

    /** Why apps run as the platform's user, when they do. */
    public Optional<String> notIsolatedBecause() {
        return notIsolated;
    }

    /**
     * The user {@code app}'s commands run as, created when missing: the launchers ask for it at
     * every launch, restarts and adoptions included.
     */
    public AppUser user(AppName app) throws IOException {
        if (!isolated()) {
            return AppUser.PLATFORM;
        }
        String name = UserNames.of(app);
        Optional<SystemUsers.Account> account = accounts.find(name);
        if (account.isEmpty()) {
            accounts.add(name, UserNames.comment(app), dataDirectory(app));
            account = accounts.find(name);
            LOG.info("App {}: created the Unix user {}", app, name);
        }
        SystemUsers.Account a = account.orElseThrow(() -> new IOException("the user " + name + " was not created"));
        if (!a.comment().equals(UserNames.comment(app))) {
            throw new IOException("the machine has a user " + name + " that is not app '" + app + "''s (its comment is '"
                    + a.comment() + "'); rename that user or the app");
        }
        if (a.uid() == 0 || a.gid() == 0) {
            throw new IOException("the user " + name + " has the id of root; remove it (userdel " + name + ")");
        }
        return new AppUser(name, a.uid(), a.gid());
    }

    /** What {@code app:info} says of an app's isolation. */
    public String describe(AppName app) {
        if (!isolated()) {
            return AppUser.PLATFORM.describe() + " (" + notIsolated.get() + ")";
        }
        return "own user " + UserNames.of(app);
    }

    /**
     * Creates the app's user when missing and puts the app's files in order: the app's directory
     * and its releases traversable by its group only, every release's slug readable by it and
     * writable by none but the platform, its data directory its own, everything else
     * (repository, logs, state documents, certificates) the platform's alone. Idempotent; what
     * is in order already is not walked again.
     */
    public AppUser ensure(AppName app) throws IOException {
        AppUser user = user(app);
        Path dir = home.resolve("apps").resolve(app.value());
        if (Files.isSymbolicLink(dir)) {
            throw new IOException("the directory of app '" + app + "' is a symbolic link");
        }
        Files.createDirectories(dir);
        Path data = Files.createDirectories(dir.resolve("data"));
        Path releases = Files.createDirectories(dir.resolve("releases"));
        Path cache = Files.createDirectories(dir.resolve("cache"));
        if (!user.isolated()) {
            for (Path p : new Path[] {dir, data, releases, cache}) {
                FileModes.close(p);
            }
            return user;
        }
        shareWithGroup(dir, user);
        shareWithGroup(releases, user);
        shareWithGroup(cache, user);
        if (FileModes.owner(data) != user.uid()) {
            FileModes.ownTree(data, user.uid(), user.gid());
            LOG.info("App {}: its data directory now belongs to {}", app, user.name());
        }
        FileModes.set(data, "rwx------");
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.equals("data") && !name.equals("releases") && !name.equals("cache")) {
                    FileModes.close(entry);
                }
            }
        }
        try (DirectoryStream<Path> built = Files.newDirectoryStream(releases)) {
            for (Path release : built) {
                if (Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS) && FileModes.group(release) != user.gid()) {
                    seal(user, release);
                }
            }
        }
        return user;
    }

    /**
     * Hands a build's directories to the app's user before the build: the release's directory
     * is traversable by its group, the slug and the builder's cache become the app's.
     */
    public void beforeBuild(AppUser user, Path releaseDirectory, Path slug, Path cache) throws IOException {
        if (!user.isolated()) {
            FileModes.close(releaseDirectory);
            return;
        }
        shareWithGroup(releaseDirectory, user);
        FileModes.ownTree(slug, user.uid(), user.gid());
        if (FileModes.owner(cache) != user.uid()) {
            FileModes.ownTree(cache, user.uid(), user.gid());
        }
        FileModes.set(cache, "rwx------");
    }

    /**
     * Gives one file made in a sealed release directory afterwards (the slug's archive) the owner
     * and modes of the release's files.
     */
    public void sealFile(AppName app, Path file) throws IOException {
        AppUser user = ensure(app);
        if (!user.isolated()) {
            FileModes.close(file);
            return;
        }
        FileModes.own(file, 0, user.gid());
        FileModes.set(file, "rw-r-----");
    }

    /**
     * Takes a release's directory back after its build: the platform owns every file, the app's
     * group reads (and runs) them, nobody else reaches them. The app cannot change its slug
     * afterwards; what it writes goes to its {@code DATA_DIR}.
     */
    public void seal(AppUser user, Path releaseDirectory) throws IOException {
        if (!user.isolated()) {
            FileModes.close(releaseDirectory);
            return;
        }
        FileModes.ownTree(releaseDirectory, 0, user.gid());
        FileModes.modeTree(releaseDirectory, "u+rwX,g+rX,g-w,o-rwx");
    }

    /**
     * Runs a build on the calling thread as {@code user}: the build commands that the builder
     * runs through core's {@code BuildCommands} on this thread run as that user.
     */
    public <T, E extends Exception> T building(AppUser user, BuildWork<T, E> work) throws E, InterruptedException {
        AppUser before = BUILDING.get();
        BUILDING.set(user);
        try {
            return work.run();
        } finally {
            if (before == null) {
                BUILDING.remove();
            } else {
                BUILDING.set(before);
            }
        }
    }

    /** Work done by {@link #building}. */
    @FunctionalInterface
    public interface BuildWork<T, E extends Exception> {
        T run() throws E, InterruptedException;
    }

    /**
     * The user the build on the calling thread runs as; empty outside a build, where an
     * isolating platform runs no build command at all.
     */
    public Optional<AppUser> currentBuild() {
        AppUser user = BUILDING.get();
        if (user == null && !isolated()) {
            return Optional.of(AppUser.PLATFORM);
        }
        return Optional.ofNullable(user);
    }

    /**
     * Removes the app's user and group (for {@code app:destroy}); a data directory that is kept
     * goes back to the platform first, so no later user that gets the same id owns it.
     */
    public void remove(AppName app, boolean dataKept) throws IOException {
        if (!isolated()) {
            return;
        }
        Path data = dataDirectory(app);
        if (dataKept && Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
            FileModes.ownTree(data, 0, 0);
        }
        String name = UserNames.of(app);
        // what the app left running (a build's background process, a child that left its session) goes first
        ProcessHandle.allProcesses().filter(p -> p.info().user().map(name::equals).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        accounts.delete(name);
        LOG.info("App {}: removed the Unix user {}", app, UserNames.of(app));
    }

    private Path dataDirectory(AppName app) {
        return home.resolve("apps").resolve(app.value()).resolve("data");
    }

    /** The platform's directory, which the app's group may traverse but not list. */
    private static void shareWithGroup(Path dir, AppUser user) throws IOException {
        FileModes.own(dir, 0, user.gid());
        FileModes.set(dir, "rwx--x---");
    }
}
