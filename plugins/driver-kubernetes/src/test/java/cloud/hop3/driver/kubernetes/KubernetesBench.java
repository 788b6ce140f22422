package cloud.hop3.driver.kubernetes;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.process.ReleasePlan;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Figures of the driver on the mock API server: apply of a 3-process app until its objects are
 * sent and until it serves, then apply and reconcile of many apps. A benchmark, not a test
 * (scripts/bench-kubernetes runs it).
 */
public final class KubernetesBench {

    /** Held here: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    private KubernetesBench() {
    }

    public static void main(String[] args) throws Exception {
        int apps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        // the mock server logs every request at INFO through java.util.logging
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        KubernetesMockServer server = MockCluster.start();
        try (KubernetesClient client = server.createClient(); Kubelet kubelet = new Kubelet(client)) {
            DriverSettings d = DriverSettings.defaults();
            KubernetesDriver driver = new KubernetesDriver(client,
                    new DriverSettings("hop3", false, "", d.images(), d.initImage(), Duration.ofMillis(20)));
            driver.apply(plan("warmup", 1), l -> { });
            for (int run = 1; run <= 3; run++) {
                long t0 = System.nanoTime();
                long[] sent = new long[1];
                driver.apply(plan("three", run), line -> {
                    if (line.startsWith("Applied CronJob")) {
                        sent[0] = System.nanoTime();
                    }
                });
                long t1 = System.nanoTime();
                System.out.printf("3-process app, release %d: objects applied in %d ms, serving in %d ms%n", run,
                        (sent[0] - t0) / 1_000_000, (t1 - t0) / 1_000_000);
            }
            // the apps to reconcile, put on the cluster 8 at a time (each apply waits for the test kubelet)
            long a0 = System.nanoTime();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < apps; i++) {
                String app = "app" + i;
                done.add(pool.submit(() -> {
                    driver.apply(plan(app, 1), l -> { });
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            long a1 = System.nanoTime();
            System.out.printf("%d apps put on the cluster in %d ms (8 at a time)%n", apps, (a1 - a0) / 1_000_000);
            for (int run = 1; run <= 3; run++) {
                long r0 = System.nanoTime();
                driver.reconcileAll();
                long r1 = System.nanoTime();
                System.out.printf("reconcile of %d apps (the scheduled one: list, read, compare), run %d: %d ms (%.1f ms an app)%n",
                        apps + 2, run, (r1 - r0) / 1_000_000, (r1 - r0) / 1e6 / (apps + 2));
            }
            client.apps().deployments().inNamespace("hop3").withName("app7-worker").delete();
            long r0 = System.nanoTime();
            driver.reconcileAll();
            long r1 = System.nanoTime();
            boolean back = client.apps().deployments().inNamespace("hop3").withName("app7-worker").get() != null;
            System.out.printf("reconcile of %d apps with one Deployment deleted: %d ms, recreated: %s%n", apps + 2,
                    (r1 - r0) / 1_000_000, back);
        } finally {
            server.destroy();
        }
    }

    private static ReleasePlan plan(String app, int release) {
        return new ReleasePlan(AppName.of(app), release, "python",
                Map.of("web", "gunicorn app:app", "worker", "python worker.py", "clock", "python clock.py"),
                new Formation(Map.of("web", 1, "worker", 1, "clock", 1)), Map.of("A", "1"),
                URI.create("https://hop3.example/api/v1/apps/" + app + "/releases/1/slug"), "t", null, List.of(), null,
                List.of(new ReleasePlan.Cron("*/5 * * * *", "python tick.py")), null, null, Duration.ofSeconds(60));
    }
}
