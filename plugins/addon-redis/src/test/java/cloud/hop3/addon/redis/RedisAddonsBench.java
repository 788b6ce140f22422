package cloud.hop3.addon.redis;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import cloud.hop3.plugin.testkit.PassableDirectory;
import cloud.hop3.api.addon.AddonName;
import cloud.hop3.api.plugin.PluginKind;
import cloud.hop3.plugin.testkit.ComponentConfig;
import cloud.hop3.plugin.testkit.TestPlatform;

/**
 * Not a test: the figures of {@code scripts/bench-redis-addons}. Creates {@code counts} embedded
 * add-ons in turn with the plugin (as its service account), leaves them idle for a moment, and
 * prints the resident memory of their redis-server processes as {@code ps} reports it (RSS, which
 * counts the shared library pages in every process) and their proportional share (PSS, from
 * {@code /proc/<pid>/smaps_rollup}, whose sum is what they take together), and how
 * long a create took. Stops the servers and removes the account and the files at the end.
 */
public final class RedisAddonsBench {

    private RedisAddonsBench() {
    }

    public static void main(String[] args) throws Exception {
        long idleMillis = Long.parseLong(args.length > 0 ? args[0] : "2000");
        List<Integer> counts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            counts.add(Integer.parseInt(args[i]));
        }
        if (counts.isEmpty()) {
            counts = List.of(1, 10);
        }
        for (int count : counts) {
            Path home = PassableDirectory.create("hop3-redis-bench");
            RedisDatabase redis = null;
            try {
                TestPlatform platform = new TestPlatform(home);
                redis = new RedisDatabase(platform, Fixtures.ACCOUNTS, ComponentConfig.of(RedisDatabase.Config.class),
                        () -> false);
                long createNanos = 0;
                for (int i = 0; i < count; i++) {
                    long start = System.nanoTime();
                    redis.create(AddonName.of("bench-" + i), Map.of());
                    createNanos += System.nanoTime() - start;
                }
                Thread.sleep(idleMillis);
                Path state = platform.stateDirectory(PluginKind.DATABASE, "redis");
                List<String> pids = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    pids.add(Files.readString(state.resolve("bench-" + i).resolve("redis.pid")).strip());
                }
                Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", String.join(",", pids)).start();
                List<Long> rss = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                        .map(String::strip).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
                ps.waitFor();
                long total = rss.stream().mapToLong(Long::longValue).sum();
                long pss = 0;
                for (String pid : pids) {
                    pss += Files.readAllLines(Path.of("/proc", pid, "smaps_rollup")).stream()
                            .filter(l -> l.startsWith("Pss:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                            .sum();
                }
                System.out.printf("add-ons %3d  servers %3d  RSS per server KiB min %d mean %d max %d  total MiB %.1f"
                                + "  total PSS MiB %.1f  mean create ms %.0f%n", count, rss.size(),
                        rss.stream().mapToLong(Long::longValue).min().orElse(0), total / Math.max(1, rss.size()),
                        rss.stream().mapToLong(Long::longValue).max().orElse(0), total / 1024.0, pss / 1024.0,
                        createNanos / 1e6 / count);
            } finally {
                if (redis != null) {
                    redis.stopServers();
                }
                PassableDirectory.delete(home);
            }
        }
        Fixtures.LOCAL.remove(Fixtures.ACCOUNT);
    }
}
