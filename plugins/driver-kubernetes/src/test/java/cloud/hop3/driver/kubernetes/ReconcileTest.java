package cloud.hop3.driver.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Deployment deleted by hand comes back: at the next reconcile, also from a driver that did not
 * apply the release (the platform restarted since), with the replicas of the last scale; and on
 * its own when the driver reconciles on a schedule. A removed app stays removed. A command runs in
 * the serving release's pod also after a restart.
 */
class ReconcileTest extends ClusterTest {

    private static final AppName SHOP = AppName.of("shop");
    private static final String NS = KubernetesDriverTest.NS;
    private final List<KubernetesDriver> drivers = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        drivers.forEach(KubernetesDriver::close);
    }

    /** A driver of its own client, as a new platform process would have. */
    private KubernetesDriver driver() {
        KubernetesDriver driver = new KubernetesDriver(server.createClient(), quickSettings(false));
        drivers.add(driver);
        return driver;
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    @Test
    void aDriverThatDidNotApplyTheReleaseRecreatesItsDeletedDeploymentAsLastScaled() throws Exception {
        KubernetesDriver before = driver();
        before.apply(KubernetesDriverTest.plan(3), progress::add);
        before.scale(SHOP, new Formation(Map.of("web", 4)));
        client.apps().deployments().inNamespace(NS).withName("shop-web").delete();
        client.apps().deployments().inNamespace(NS).withName("shop-worker").delete();
        assertNull(deployment("shop-web"));

        driver().reconcile(SHOP);

        assertEquals(4, deployment("shop-web").getSpec().getReplicas());
        assertEquals("3", deployment("shop-web").getMetadata().getLabels().get(KubernetesNames.RELEASE));
        assertEquals(1, deployment("shop-worker").getSpec().getReplicas());
        // the applied objects are kept as a Secret: they may hold the certificate's key
        assertTrue(client.configMaps().inNamespace(NS).list().getItems().isEmpty());
    }

    @Test
    void theScheduledReconcileRecreatesADeletedDeploymentAndNotARemovedApp() throws Exception {
        KubernetesDriver driver = driver();
        driver.apply(KubernetesDriverTest.plan(1), progress::add);
        driver.reconcileEvery(Duration.ofMillis(100));

        client.apps().deployments().inNamespace(NS).withName("shop-worker").delete();
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (deployment("shop-worker") == null && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertEquals(1, deployment("shop-worker").getSpec().getReplicas(), "shop-worker was not recreated within 10 s");

        driver.remove(SHOP);
        Thread.sleep(500); // five reconciles
        assertTrue(client.apps().deployments().inNamespace(NS).list().getItems().isEmpty(),
                "a removed app came back: " + client.apps().deployments().inNamespace(NS).list().getItems().size());
        assertTrue(client.secrets().inNamespace(NS).list().getItems().isEmpty());
    }

    @Test
    void aCommandRunsInTheServingReleaseAfterARestartAndAfterAScale() throws Exception {
        KubernetesDriver before = driver();
        before.apply(KubernetesDriverTest.plan(2), progress::add);
        before.scale(SHOP, new Formation(Map.of("web", 3)));
        KubernetesDriver after = driver();

        // core numbers the scale as release 3; the cluster serves release 2's pods
        assertEquals(0, after.run(launch(3, "python manage.py check"), new ByteArrayOutputStream(), Duration.ofSeconds(20)));
        assertEquals(1, after.run(launch(3, "exit 1"), new ByteArrayOutputStream(), Duration.ofSeconds(20)));
        assertEquals(0, before.run(launch(3, "python manage.py check"), new ByteArrayOutputStream(), Duration.ofSeconds(20)));
        // the run pods are gone, the release's remain
        assertTrue(client.pods().inNamespace(NS).withLabel(KubernetesNames.TYPE, "run").list().getItems().isEmpty());

        ProcessException none = assertThrows(
                ProcessException.class,
                () -> after.run(new ProcessLaunch(AppName.of("blog"), 1, "run", 1, "true",
                        Path.of("/app"), Map.of(), 0), new ByteArrayOutputStream(), Duration.ofSeconds(5)));
        assertTrue(none.getMessage().contains("blog"), none.getMessage());
    }

    private static ProcessLaunch launch(int release, String command) {
        return new ProcessLaunch(SHOP, release, "run", 1, command, Path.of("/app"), Map.of(), 0);
    }
}
