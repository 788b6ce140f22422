package cloud.hop3.addon.mariadb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import cloud.hop3.plugin.testkit.PassableDirectory;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.plugin.support.account.LocalServiceAccounts;
import cloud.hop3.plugin.support.account.SystemUsers;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.TestPlatform;

/**
 * Not a test: the plugin outside Karaf for {@code scripts/bench-mariadb-addons}. Starts the
 * embedded server in a fresh state directory (its first {@code mariadb-install-db} included),
 * lets it idle, reads its resident memory, creates {@code count} add-ons (timing the first and
 * the last), lets it idle again, reads its memory again, and stops it, removing the service
 * account when this run created it.
 * <p>
 * Arguments: add-on count, seconds of idling before each reading.
 */
public final class BenchMariaDbAddons {

    private BenchMariaDbAddons() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        long idleMillis = Long.parseLong(args[1]) * 1000;
        boolean accountExisted = new SystemUsers().find("hop3_mariadb").isPresent();
        LocalServiceAccounts accounts = new LocalServiceAccounts();
        Path root = PassableDirectory.create("hop3-bench-mariadb");
        MariaDbDatabase database = null;
        try {
            TestPlatform platform = new TestPlatform(root.resolve("home"));
            database = new MariaDbDatabase(platform, accounts, ComponentConfig.of(MariaDbDatabase.Config.class), null);
            EmbeddedMariaDb server = (EmbeddedMariaDb) database.server();
            long started = System.nanoTime();
            long pid = server.ensureRunning().pid();
            System.out.printf("first start (mariadb-install-db + mariadbd): %d ms%n", (System.nanoTime() - started) / 1_000_000);
            Thread.sleep(idleMillis);
            System.out.printf("idle RSS, 0 add-ons: %.1f MiB%n", rssMiB(pid));
            long first = 0;
            long last = 0;
            for (int i = 1; i <= count; i++) {
                long t = System.nanoTime();
                database.create(AddonName.of("bench-" + i), Map.of());
                long millis = (System.nanoTime() - t) / 1_000_000;
                if (i == 1) {
                    first = millis;
                }
                last = millis;
            }
            System.out.printf("create of add-on 1: %d ms, of add-on %d: %d ms%n", first, count, last);
            Thread.sleep(idleMillis);
            System.out.printf("idle RSS, %d add-ons: %.1f MiB%n", count, rssMiB(pid));
        } finally {
            if (database != null) {
                database.close(true);
            }
            if (!accountExisted) {
                accounts.remove("mariadb");
            }
            PassableDirectory.delete(root);
        }
    }

    private static double rssMiB(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + pid);
    }
}
