package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.ResourceLock;

import cloud.hop3.itests.Command.Result;

/**
 * Hop3 in a stock Apache Karaf 4.4: its feature repository is added and the hop3 feature
 * installed with Karaf's own commands, configured by the HOP3_* environment only; then an app is
 * pushed with the real git client and served by the built-in proxy, as in the distribution.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(Distribution.SITE_APPS)
class StockKarafIT {

    private static final List<String> BUILDERS = List.of("static", "generic", "python", "node");

    private static StockKaraf karaf;

    @BeforeAll
    static void start() throws Exception {
        karaf = new StockKaraf();
        karaf.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }

    @Test
    @Order(1)
    void hop3IsInstalledWithKarafsFeatureCommands() throws Exception {
        Result before = karaf.shell(karaf.adminKey, "admin", "plugin:list");
        assertNotEquals(0, before.exit(), "a stock Karaf has no Hop3: " + before);

        String features = "mvn:cloud.hop3/features/" + System.getProperty("hop3.version") + "/xml/features";
        karaf.admin("feature:repo-add " + features);
        karaf.admin("feature:install hop3");
        awaitConfigurationFilesAdopted();

        String plugins = awaitPlatform();
        for (String builder : BUILDERS) {
            assertTrue(PluginListing.row(plugins, "builder", builder).orElseThrow().get(2)
                    .startsWith("cloud.hop3.builder-" + builder + " ["), plugins);
        }
        assertTrue(PluginListing.row(plugins, "proxy", "builtin").isPresent(), plugins);
        assertTrue(PluginListing.row(plugins, "driver", "local").isPresent(), plugins);
    }

    @Test
    @Order(2)
    void aStaticSitePushedWithGitIsServedThroughTheProxy() throws Exception {
        Path pusher = karaf.work.resolve("pusher");
        StockKaraf.ok(Command.run(karaf.work, Map.of(), StockKaraf.TIMEOUT,
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pusher", "-f", pusher.toString()));
        Path site = karaf.work.resolve("site");
        Files.createDirectories(site.resolve("public"));
        Files.writeString(site.resolve("public/index.html"), "<h1>hop3 on a stock karaf</h1>");
        git(site, "init", "-q", "-b", "main");
        git(site, "add", "-A");
        git(site, "-c", "user.email=test@hop3.cloud", "-c", "user.name=Hop3 test", "commit", "-q", "-m", "site");

        // the shell's keys (etc/keys.properties) do not let anyone push: key:add does
        Result refused = push(site, pusher);
        assertNotEquals(0, refused.exit(), refused.toString());
        assertTrue(refused.output().contains("Permission denied"), refused.toString());

        karaf.admin("key:add pusher '" + Files.readString(Path.of(pusher + ".pub")).trim() + "'");
        Result pushed = push(site, pusher);
        assertEquals(0, pushed.exit(), pushed.toString());
        assertTrue(pushed.output().contains("remote: -----> Building with static"), pushed.toString());
        assertTrue(pushed.output().contains("Serving at http://site." + karaf.domain + ":" + karaf.httpPort + "/"),
                pushed.toString());

        assertEquals("<h1>hop3 on a stock karaf</h1>", Http.get(karaf.httpPort, "site." + karaf.domain, "/").body());
        assertEquals(404, Http.get(karaf.httpPort, "other." + karaf.domain, "/").status());
        assertTrue(Files.isRegularFile(karaf.home.resolve("apps/site/app.json")), "the state is in HOP3_HOME");

        String apps = karaf.admin("app:list --no-format");
        assertTrue(apps.lines().anyMatch(l -> l.startsWith("site\tv1\t")), apps);
    }

    @Test
    @Order(3)
    void hop3sAccessRulesComeWithTheFeature() throws Exception {
        Result list = karaf.shell(karaf.viewerKey, "viewer", "app:list --no-format");
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.output().contains("site\tv1\t"), list.toString());

        Result create = karaf.shell(karaf.viewerKey, "viewer", "app:create intruder");
        assertNotEquals(0, create.exit(), create.toString());
        assertTrue(create.output().contains("nsufficient") || create.output().contains("not found"), create.toString());
        Result keys = karaf.shell(karaf.viewerKey, "viewer", "key:list");
        assertNotEquals(0, keys.exit(), keys.toString());

        assertFalse(karaf.admin("app:list --no-format").contains("intruder"));
    }

    @Test
    @Order(4)
    void hop3AndItsAppsSurviveARestartOfKaraf() throws Exception {
        assertTrue(karaf.stop(), "the JVM ended by itself after bin/stop");
        karaf.start();
        awaitPlatform();
        assertEquals("<h1>hop3 on a stock karaf</h1>", Http.get(karaf.httpPort, "site." + karaf.domain, "/").body());
        String apps = karaf.admin("app:list --no-format");
        assertTrue(apps.lines().anyMatch(l -> l.startsWith("site\tv1\t")), apps);
    }

    @Test
    @Order(5)
    void karafsStopEndsThePlatformAndFreesItsPorts() throws Exception {
        assertTrue(karaf.stop(), "the JVM ended by itself after bin/stop");
        for (int port : new int[] {karaf.shellPort, karaf.gitPort, karaf.httpPort}) {
            assertThrows(ConnectException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                }
            }, "port " + port);
        }
    }

    /**
     * Waits until Karaf has read back the configuration files that installing the feature wrote
     * to etc/. A running Karaf 4.4 creates a feature's configurations without naming their file,
     * then writes the file, which its file watcher adopts within a second; that second update
     * restarts Hop3's components once, and a push meanwhile would be cut.
     */
    private static void awaitConfigurationFilesAdopted() throws Exception {
        String notAdopted = "config:list '(&(org.apache.karaf.features.configKey=*)(!(felix.fileinstall.filename=*)))'";
        long deadline = System.nanoTime() + StockKaraf.TIMEOUT.toNanos();
        String left = "";
        while (System.nanoTime() < deadline) {
            left = karaf.admin(notAdopted);
            if (!left.contains("Pid:")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Karaf did not read back the configuration files of the feature: " + left);
    }

    /** Waits until plugin:list shows the builders and the proxy, and the git server and the proxy answer. */
    private static String awaitPlatform() throws Exception {
        long deadline = System.nanoTime() + StockKaraf.TIMEOUT.toNanos();
        String plugins = "";
        while (System.nanoTime() < deadline) {
            Result r = karaf.shell(karaf.adminKey, "admin", "plugin:list --no-format");
            plugins = r.output();
            String listed = plugins;
            if (r.exit() == 0 && BUILDERS.stream().allMatch(b -> PluginListing.row(listed, "builder", b).isPresent())
                    && PluginListing.row(listed, "proxy", "builtin").isPresent()
                    && accepts(karaf.gitPort) && accepts(karaf.httpPort)) {
                return plugins;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("plugin:list did not show the builders and the proxy, or their ports did not answer: "
                + plugins);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Result push(Path site, Path key) throws IOException, InterruptedException {
        return Command.run(site, Map.of("GIT_SSH_COMMAND", StockKaraf.gitSsh(key)), StockKaraf.TIMEOUT,
                "git", "push", karaf.gitUrl("site"), "main:main");
    }

    private static void git(Path dir, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        StockKaraf.ok(Command.run(dir, Map.of(), StockKaraf.TIMEOUT, command));
    }
}
