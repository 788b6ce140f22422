package cloud.hop3.addon.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.plugin.support.account.LocalServiceAccounts;
import cloud.hop3.plugin.support.account.SystemUsers;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.TestPlatform;

/**
 * A benchmark, not a test (scripts/bench-addons): on one fresh embedded server, the time of each
 * {@code create} from the 1st to the N-th add-on, and the server's idle memory (its processes' PSS,
 * which counts shared memory once, and their RSS) and disk with 0 and with N add-ons.
 * Arguments: a directory for the state (its components must be passable, 0711), the number of add-ons.
 */
public final class BenchAddons {

    private BenchAddons() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        boolean hadAccount = new SystemUsers().find("hop3_postgres").isPresent();
        LocalServiceAccounts accounts = new LocalServiceAccounts();
        Path state = new TestPlatform(home).stateDirectory(PluginKind.DATABASE, "postgres");
        PostgresDatabase db = new PostgresDatabase(state, accounts, ComponentConfig.of(PostgresDatabase.Config.class), () -> true);
        try {
            long t0 = System.nanoTime();
            db.startEmbedded();
            System.out.printf("first start (initdb + start): %d ms, %s%n", (System.nanoTime() - t0) / 1_000_000, db.describe());
            memory(db, state, 0);
            List<Long> millis = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                long start = System.nanoTime();
                db.create(AddonName.of("bench-" + i), Map.of());
                millis.add((System.nanoTime() - start) / 1_000_000);
            }
            System.out.printf("create #1: %d ms, #%d: %d ms (ratio %.2f); mean of the first 5: %.0f ms, of the last 5: %.0f ms%n",
                    millis.get(0), count, millis.get(count - 1), (double) millis.get(count - 1) / millis.get(0),
                    mean(millis.subList(0, Math.min(5, count))), mean(millis.subList(Math.max(0, count - 5), count)));
            memory(db, state, count);
        } finally {
            db.deactivate();
            if (!hadAccount) {
                accounts.remove("postgres");
            }
        }
    }

    private static double mean(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).average().orElse(0);
    }

    private static void memory(PostgresDatabase db, Path state, int addons) throws Exception {
        Thread.sleep(5000); // idle: let autovacuum and the checkpointer settle
        ProcessHandle postmaster = ProcessHandle.of(db.serverPid()).orElseThrow();
        List<ProcessHandle> all = new ArrayList<>();
        all.add(postmaster);
        postmaster.descendants().forEach(all::add);
        long pss = 0;
        long rss = 0;
        for (ProcessHandle p : all) {
            pss += kib(Path.of("/proc", Long.toString(p.pid()), "smaps_rollup"), "Pss:");
            rss += kib(Path.of("/proc", Long.toString(p.pid()), "status"), "VmRSS:");
        }
        System.out.printf("idle with %d add-ons: %d processes, PSS %.1f MiB, RSS sum %.1f MiB, postmaster RSS %.1f MiB,"
                        + " data %.0f MiB%n", addons, all.size(), pss / 1024.0, rss / 1024.0,
                kib(Path.of("/proc", Long.toString(postmaster.pid()), "status"), "VmRSS:") / 1024.0,
                size(state.resolve("data")) / 1048576.0);
    }

    private static long kib(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    private static long size(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
