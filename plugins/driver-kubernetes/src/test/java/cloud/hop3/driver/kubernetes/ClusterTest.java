package cloud.hop3.driver.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test against a mock cluster of its own (API server, client and test kubelet), started before
 * each test and closed after it, also when it fails.
 */
abstract class ClusterTest {

    MockCluster.Running cluster;
    KubernetesMockServer server;
    KubernetesClient client;
    Kubelet kubelet;
    /** What the driver reported while it applied releases. */
    final List<String> progress = new ArrayList<>();

    @BeforeEach
    final void startCluster() {
        cluster = MockCluster.Running.start();
        server = cluster.server();
        client = cluster.client();
        kubelet = cluster.kubelet();
    }

    @AfterEach
    final void stopCluster() throws InterruptedException {
        cluster.close();
    }

    /**
     * The default settings with an ingress class, and rollouts polled every 50 ms instead of every
     * second; with a namespace per app when {@code perApp}.
     */
    static DriverSettings quickSettings(boolean perApp) {
        DriverSettings d = DriverSettings.defaults();
        return new DriverSettings(d.namespace(), perApp, "nginx", d.images(), d.initImage(), Duration.ofMillis(50));
    }
}
