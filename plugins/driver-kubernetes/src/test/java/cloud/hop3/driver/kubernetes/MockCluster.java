package cloud.hop3.driver.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/** fabric8's mock API server in CRUD mode, where expectations (a refusal) come before the stored objects. */
public final class MockCluster {

    private MockCluster() {
    }

    /** A started server over HTTPS. */
    public static KubernetesMockServer start() {
        KubernetesMockServer server = crud(true);
        server.init();
        return server;
    }

    /**
     * A started server over plain HTTP on the loopback address and {@code port}, for a platform in
     * another process to reach with a kubeconfig that names {@code http://127.0.0.1:<port>}.
     */
    public static KubernetesMockServer startHttp(int port) {
        KubernetesMockServer server = crud(false);
        server.init(InetAddress.getLoopbackAddress(), port);
        return server;
    }

    /** A started server over HTTPS, a client of it and a kubelet playing on it, closed together. */
    public record Running(KubernetesMockServer server, KubernetesClient client, Kubelet kubelet) implements AutoCloseable {

        /** Starts them. */
        public static Running start() {
            KubernetesMockServer server = MockCluster.start();
            KubernetesClient client = server.createClient();
            return new Running(server, client, new Kubelet(client));
        }

        @Override
        public void close() throws InterruptedException {
            kubelet.close();
            client.close();
            server.destroy();
        }
    }

    private static KubernetesMockServer crud(boolean https) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        return new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), https);
    }
}
