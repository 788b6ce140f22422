package cloud.hop3.driver.kubernetes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What apply sends, read back by a real kubectl pointed at the mock API server. */
class KubectlTest {

    @TempDir
    Path dir;

    @Test
    void kubectlReadsTheAppliedObjects() throws Exception {
        String kubectl = kubectl();
        KubernetesMockServer server = MockCluster.start();
        try (KubernetesClient client = server.createClient(); Kubelet kubelet = new Kubelet(client)) {
            DriverSettings d = DriverSettings.defaults();
            new KubernetesDriver(client, new DriverSettings("hop3", false, "", d.images(), d.initImage(), Duration.ofMillis(50)))
                    .apply(KubernetesDriverTest.plan(1), line -> { });
            Path config = dir.resolve("kubeconfig");
            Files.writeString(config, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: mock
                      cluster:
                        server: %s
                        insecure-skip-tls-verify: true
                    users:
                    - name: mock
                      user:
                        token: secret
                    contexts:
                    - name: mock
                      context: {cluster: mock, user: mock, namespace: hop3}
                    current-context: mock
                    """.formatted(client.getMasterUrl().toString().replaceAll("/$", "")));
            // the mock server answers no discovery requests: kubectl reads the objects' own paths
            String deployments = run(kubectl, "--kubeconfig", config.toString(), "get", "--raw",
                    "/apis/apps/v1/namespaces/hop3/deployments?labelSelector=hop3.cloud%2Fapp%3Dshop");
            assertTrue(deployments.contains("\"name\":\"shop-web\"") && deployments.contains("\"name\":\"shop-worker\""), deployments);
            assertTrue(deployments.contains("\"replicas\":2"), deployments);
            assertTrue(deployments.contains("\"hop3.cloud/release\":\"1\""), deployments);
            String secrets = run(kubectl, "--kubeconfig", config.toString(), "get", "--raw", "/api/v1/namespaces/hop3/secrets");
            assertTrue(secrets.contains("\"name\":\"shop-env-1\""), secrets);
            String ingress = run(kubectl, "--kubeconfig", config.toString(), "get", "--raw",
                    "/apis/networking.k8s.io/v1/namespaces/hop3/ingresses/shop");
            assertTrue(ingress.contains("\"host\":\"shop.example.org\""), ingress);
        } finally {
            server.destroy();
        }
    }

    private static String kubectl() throws Exception {
        if (onPath("kubectl")) {
            return "kubectl";
        }
        // as root (a CI machine), apt-get itself; otherwise through sudo
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> command = new ArrayList<>(root ? List.of() : List.of("sudo"));
        command.addAll(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "kubernetes-client"));
        Process install = new ProcessBuilder(command).inheritIO().start();
        if (!install.waitFor(300, TimeUnit.SECONDS) || install.exitValue() != 0 || !onPath("kubectl")) {
            throw new AssertionError("kubectl is missing and `" + String.join(" ", command) + "` did not install it");
        }
        return "kubectl";
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", new ArrayList<>(List.of(command))) + " failed: " + out);
        }
        return out;
    }
}
