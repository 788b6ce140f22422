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

    private KubernetesBench() {
    }

    public static void main(String[] args) throws Exception {
        int apps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        KubernetesMockServer server = MockCluster.start();
        try (KubernetesClient client = server.createClient(); Kubelet kubelet = new Kubelet(client)) {
            DriverSettings d = DriverSettings.defaults();
            KubernetesDriver driver = new KubernetesDriver(client,
                    new DriverSettings("hop3", false, "", d.images(), d.initImage(), Duration.ofMillis(20)));
            driver.apply(plan("warmup", 1), l -> { });
            long t0 = System.nanoTime();
            long[] sent = new long[1];
            driver.apply(plan("three", 1), line -> {
                if (line.startsWith("Applied CronJob")) {
                    sent[0] = System.nanoTime();
                }
            });
            long t1 = System.nanoTime();
            System.out.printf("3-process app: objects applied in %d ms, serving in %d ms%n",
                    (sent[0] - t0) / 1_000_000, (t1 - t0) / 1_000_000);
            long a0 = System.nanoTime();
            for (int i = 0; i < apps; i++) {
                driver.apply(plan("app" + i, 1), l -> { });
            }
            long a1 = System.nanoTime();
            for (int i = 0; i < apps; i++) {
                driver.reconcile(AppName.of("app" + i));
            }
            long a2 = System.nanoTime();
            System.out.printf("%d apps: apply %d ms (%.1f ms each), reconcile %d ms (%.1f ms each)%n", apps,
                    (a1 - a0) / 1_000_000, (a1 - a0) / 1e6 / apps, (a2 - a1) / 1_000_000, (a2 - a1) / 1e6 / apps);
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
