package cloud.hop3.core.impl.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import cloud.hop3.api.app.AppName;
import cloud.hop3.plugin.support.account.SystemUsers;

/**
 * Users and file modes on this machine's real account database: these tests need root and the
 * shadow-utils commands, and are skipped elsewhere. Each app name is unique to the run, and every
 * user created is removed, also when a test fails.
 */
class AppUsersTest {

    @TempDir
    Path tmp;

    private Path home;
    private AppUsers users;
    private final List<AppName> created = new ArrayList<>();
    private final SystemUsers accounts = new SystemUsers();

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(cloud.hop3.plugin.support.account.RunAs.effectiveUid() == 0, "needs root to create users");
        // the temporary directory is the test's alone; the home inside must be reachable by the apps' users
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        home = Files.createDirectories(tmp.resolve("home"));
        users = new AppUsers(home, true);
        assumeTrue(users.isolated(), () -> "isolation is possible here: " + users.notIsolatedBecause());
    }

    @AfterEach
    void removeUsers() throws IOException {
        for (AppName app : created) {
            accounts.delete(UserNames.of(app));
        }
    }

    private AppName app() {
        AppName app = AppName.of("t" + Long.toString(System.nanoTime(), 36));
        created.add(app);
        return app;
    }

    @Test
    void anAppGetsAUserOfItsOwnOnceAndItIsRemovedWithTheApp() throws IOException {
        AppName app = app();
        AppUser user = users.ensure(app);
        assertTrue(user.isolated());
        assertEquals(UserNames.of(app), user.name());
        assertTrue(user.uid() > 0);
        assertEquals(user, users.ensure(app), "a second ensure reuses the user");
        assertEquals(user, users.user(app));

        users.remove(app, true);
        assertTrue(accounts.find(user.name()).isEmpty());
        users.remove(app, true); // nothing left to remove: no failure
    }

    @Test
    void aUserLeftByACrashedDestroyIsReused() throws IOException {
        AppName app = app();
        accounts.add(UserNames.of(app), UserNames.comment(app), home.resolve("apps").resolve(app.value()).resolve("data"));
        int uid = accounts.find(UserNames.of(app)).orElseThrow().uid();
        assertEquals(uid, users.ensure(app).uid());
    }

    @Test
    void aUserOfTheSameNameThatIsNotTheAppsIsNeverTakenOver() throws IOException {
        AppName app = app();
        accounts.add(UserNames.of(app), "someone else", tmp);
        IOException refused = assertThrows(IOException.class, () -> users.ensure(app));
        assertTrue(refused.getMessage().contains("not app '" + app + "'"), refused.getMessage());
    }

    @Test
    void theAppWritesItsDataReadsItsSealedSlugAndReachesNothingElse() throws Exception {
        AppName app = app();
        Path dir = Files.createDirectories(home.resolve("apps").resolve(app.value()));
        // written world-readable, as an installation made before isolation did
        Files.writeString(dir.resolve("app.json"), "{\"secret\": 1}");
        AppUser user = users.ensure(app);
        Path release = Files.createDirectories(dir.resolve("releases").resolve("1"));
        Path slug = Files.createDirectories(release.resolve("slug"));
        Files.writeString(slug.resolve("run.sh"), "echo hi\n");
        Path cache = Files.createDirectories(dir.resolve("cache").resolve("static"));
        users.beforeBuild(user, release, slug, cache);
        assertEquals(0, as(user, "touch " + slug.resolve("built") + " " + cache.resolve("kept")), "the build writes its slug and cache");
        users.seal(user, release);

        assertEquals(0, as(user, "cat " + slug.resolve("built") + " " + slug.resolve("run.sh")), "the app reads its slug");
        assertEquals(0, as(user, "touch " + dir.resolve("data").resolve("mine")), "the app writes its data");
        assertFalse(as(user, "touch " + slug.resolve("changed")) == 0, "the app cannot change its slug");
        assertFalse(as(user, "cat " + dir.resolve("app.json")) == 0, "the app cannot read its state document");
        assertFalse(as(user, "ls " + home.resolve("apps")) == 0, "the app cannot list the apps");

        AppName other = app();
        AppUser stranger = users.ensure(other);
        assertFalse(as(stranger, "ls " + slug) == 0, "another app cannot read this app's slug");
        assertFalse(as(stranger, "ls " + dir.resolve("data")) == 0, "another app cannot read this app's data");
    }

    @Test
    void anAppDeployedBeforeIsolationGetsItsFilesAtItsNextStart() throws Exception {
        AppName app = app();
        Path dir = home.resolve("apps").resolve(app.value());
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("old.db"), "rows");
        Path slug = Files.createDirectories(dir.resolve("releases").resolve("3").resolve("slug"));
        Files.writeString(slug.resolve("app.py"), "print()");

        AppUser user = users.ensure(app);
        assertEquals(0, as(user, "cat " + data.resolve("old.db") + " " + slug.resolve("app.py") + " && touch "
                + data.resolve("old.db")));
        assertEquals(user.uid(), FileModes.owner(data.resolve("old.db")));
        assertEquals(0, FileModes.owner(slug.resolve("app.py")));
    }

    @Test
    void buildCommandsRunOnlyInsideABuildAsItsUser() throws Exception {
        AppName app = app();
        AppUser user = users.ensure(app);
        assertTrue(users.currentBuild().isEmpty(), "no build, no user: nothing runs");
        assertEquals(user, users.building(user, () -> users.currentBuild().orElseThrow()));
        assertTrue(users.currentBuild().isEmpty());
    }

    @Test
    void withoutIsolationEverythingRunsAsThePlatformAndTheHomeIsOwnerOnly() throws IOException {
        AppUsers off = new AppUsers(home, false);
        AppName app = AppName.of("plain");
        assertEquals(AppUser.PLATFORM, off.ensure(app));
        assertEquals(List.of("/bin/true"), off.user(app).wrap(List.of("/bin/true")));
        assertTrue(off.describe(app).startsWith("none, runs as the platform's user"), off.describe(app));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("apps").resolve("plain"))));
        assertTrue(Files.readString(home.resolve(AppUsers.STATUS_FILE)).startsWith("isolation: none"));
    }

    /** Runs a shell command as {@code user}; its exit status. */
    private static int as(AppUser user, String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(user.wrap(List.of("/bin/sh", "-c", command))).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", "/usr/bin:/bin"));
        Process p = builder.start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
