package cloud.hop3.driver.kubernetes;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/** fabric8's mock API server in CRUD mode, where expectations (a refusal) come before the stored objects. */
public final class MockCluster {

    private MockCluster() {
    }

    /** A started server over HTTPS. */
    public static KubernetesMockServer start() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), true);
        server.init();
        return server;
    }
}
