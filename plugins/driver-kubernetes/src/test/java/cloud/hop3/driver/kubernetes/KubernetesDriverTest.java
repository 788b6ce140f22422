package cloud.hop3.driver.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.api.process.ReleasePlan;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver against fabric8's mock API server in CRUD mode, with a kubelet played by the test. */
class KubernetesDriverTest extends ClusterTest {

    static final String NS = "hop3";
    private KubernetesDriver driver;

    @BeforeEach
    void startDriver() {
        driver = new KubernetesDriver(client, quickSettings(false));
    }

    static ReleasePlan plan(int release, Map<String, String> processes, Map<String, Integer> counts, String releaseCommand,
                            Duration deadline) {
        return new ReleasePlan(AppName.of("shop"), release, "python", processes, new Formation(counts),
                Map.of("GREETING", "hello " + release), URI.create("https://hop3.example/api/v1/apps/shop/releases/" + release + "/slug"),
                "token-" + release, new ReleasePlan.Health("/health", ""), List.of(HostName.of("shop.example.org")), null,
                List.of(new ReleasePlan.Cron("0 3 * * *", "python cleanup.py")), releaseCommand, null, deadline);
    }

    static ReleasePlan plan(int release) {
        return plan(release, Map.of("web", "gunicorn app:app", "worker", "python worker.py"), Map.of("web", 2, "worker", 1),
                "python migrate.py", Duration.ofSeconds(20));
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    @Test
    void applyCreatesTheReleaseObjects() throws Exception {
        driver.apply(plan(1), progress::add);

        Deployment web = deployment("shop-web");
        assertEquals(2, web.getSpec().getReplicas());
        assertEquals(Map.of("app.kubernetes.io/managed-by", "hop3", "hop3.cloud/app", "shop", "hop3.cloud/release", "1",
                "hop3.cloud/process-type", "web"), web.getMetadata().getLabels());
        assertEquals(0, web.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        var container = web.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("python:3.12-slim", container.getImage());
        assertEquals(List.of("/bin/sh", "-c", "gunicorn app:app"), container.getCommand());
        assertEquals("/health", container.getReadinessProbe().getHttpGet().getPath());
        assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals("PORT") && e.getValue().equals("5000")));
        assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals("GREETING")
                && e.getValueFrom().getSecretKeyRef().getName().equals("shop-env-1")));
        assertEquals("slug", web.getSpec().getTemplate().getSpec().getInitContainers().get(0).getName());
        assertEquals(1, deployment("shop-worker").getSpec().getReplicas());
        assertNull(deployment("shop-worker").getSpec().getTemplate().getSpec().getContainers().get(0).getReadinessProbe());

        Secret env = client.secrets().inNamespace(NS).withName("shop-env-1").get();
        assertNotNull(env);
        assertNotNull(client.services().inNamespace(NS).withName("shop-web").get());
        var ingress = client.network().v1().ingresses().inNamespace(NS).withName("shop").get();
        assertEquals("shop.example.org", ingress.getSpec().getRules().get(0).getHost());
        assertEquals("nginx", ingress.getSpec().getIngressClassName());
        assertNotNull(client.batch().v1().cronjobs().inNamespace(NS).withName("shop-cron-1").get());
        assertNotNull(client.batch().v1().jobs().inNamespace(NS).withName("shop-release-1").get());

        List<ProcessStatus> status = driver.status(AppName.of("shop"));
        assertEquals(3, status.size(), status.toString());
        assertTrue(status.stream().allMatch(s -> s.state() == ProcessState.RUNNING), status.toString());
    }

    @Test
    void redeployReplacesTheOldRelease_andAnOlderPlanRollsBack() throws Exception {
        driver.apply(plan(1), progress::add);
        driver.apply(plan(2, Map.of("web", "gunicorn app:app -w 3"), Map.of("web", 1), null, Duration.ofSeconds(20)), progress::add);

        assertEquals("2", deployment("shop-web").getMetadata().getLabels().get("hop3.cloud/release"));
        assertNull(deployment("shop-worker"), "the worker is no longer in the plan");
        assertNull(client.secrets().inNamespace(NS).withName("shop-env-1").get());
        assertNull(client.batch().v1().jobs().inNamespace(NS).withName("shop-release-1").get());

        driver.apply(plan(1), progress::add);
        assertEquals("1", deployment("shop-web").getMetadata().getLabels().get("hop3.cloud/release"));
        assertNotNull(deployment("shop-worker"));
        assertNull(client.secrets().inNamespace(NS).withName("shop-env-2").get());
    }

    @Test
    void scaleSetsReplicas_andRecreatesADeletedDeployment() throws Exception {
        driver.apply(plan(1), progress::add);
        client.apps().deployments().inNamespace(NS).withName("shop-worker").delete();
        driver.scale(AppName.of("shop"), new Formation(Map.of("web", 4)));
        assertEquals(4, deployment("shop-web").getSpec().getReplicas());
        assertNotNull(deployment("shop-worker"));
        ProcessException e = assertThrows(ProcessException.class,
                () -> driver.scale(AppName.of("shop"), new Formation(Map.of("clock", 1))));
        assertTrue(e.getMessage().contains("no 'clock' process"), e.getMessage());
    }

    @Test
    void removeDeletesOnlyTheAppsObjects() throws Exception {
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(NS)
                .endMetadata().build()).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("unrelated")
                .addToLabels("app.kubernetes.io/managed-by", "someone-else").endMetadata().build()).create();
        driver.apply(plan(1), progress::add);
        driver.remove(AppName.of("shop"));
        driver.remove(AppName.of("shop"));

        assertTrue(client.apps().deployments().inNamespace(NS).list().getItems().isEmpty());
        assertTrue(client.secrets().inNamespace(NS).list().getItems().isEmpty());
        assertTrue(client.services().inNamespace(NS).list().getItems().isEmpty());
        assertTrue(client.batch().v1().cronjobs().inNamespace(NS).list().getItems().isEmpty());
        assertNotNull(client.configMaps().inNamespace(NS).withName("unrelated").get());
    }

    @Test
    void aFailedReleaseCommandStopsTheRollout() throws Exception {
        driver.apply(plan(1), progress::add);
        ProcessException e = assertThrows(ProcessException.class, () -> driver.apply(
                plan(2, Map.of("web", "gunicorn app:app -w 3"), Map.of("web", 2), "exit 1", Duration.ofSeconds(20)), progress::add));
        assertTrue(e.getMessage().contains("release command"), e.getMessage());
        assertTrue(e.getMessage().contains("exited with status 1"), e.getMessage());
        assertEquals("1", deployment("shop-web").getMetadata().getLabels().get("hop3.cloud/release"));
        assertNull(client.secrets().inNamespace(NS).withName("shop-env-2").get());
        assertNotNull(client.secrets().inNamespace(NS).withName("shop-env-1").get());
    }

    @Test
    void aRolloutPastItsDeadlineIsRolledBack() throws Exception {
        driver.apply(plan(1), progress::add);
        ProcessException e = assertThrows(ProcessException.class, () -> driver.apply(
                plan(2, Map.of("web", "crash now", "worker", "python worker.py"), Map.of("web", 2, "worker", 1), null,
                        Duration.ofSeconds(2)), progress::add));
        assertTrue(e.getMessage().contains("CrashLoopBackOff"), e.getMessage());
        assertTrue(e.getMessage().contains("previous release still serves"), e.getMessage());
        Deployment web = deployment("shop-web");
        assertEquals(List.of("/bin/sh", "-c", "gunicorn app:app"), web.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand());
        assertEquals("1", web.getSpec().getTemplate().getMetadata().getLabels().get("hop3.cloud/release"));
    }

    @Test
    void aRolledBackReleaseLeavesNeitherItsSecretNorItsJob_soTheNextOfItsNumberRunsItsOwnCommand() throws Exception {
        driver.apply(plan(1), progress::add);
        assertThrows(ProcessException.class, () -> driver.apply(plan(2, Map.of("web", "crash now"), Map.of("web", 1),
                "python migrate.py --first-try", Duration.ofSeconds(2)), progress::add));
        assertNull(client.secrets().inNamespace(NS).withName("shop-env-2").get(), "the Secret of a release that never served");
        assertNull(client.batch().v1().jobs().inNamespace(NS).withName("shop-release-2").get());
        assertNotNull(client.secrets().inNamespace(NS).withName("shop-env-1").get(), "the serving release's Secret");

        // a failed release makes none: the next deploy has its number, and its own release command
        progress.clear();
        driver.apply(plan(2, Map.of("web", "gunicorn app:app"), Map.of("web", 1), "python migrate.py --second-try",
                Duration.ofSeconds(20)), progress::add);
        assertTrue(progress.contains("Running the release command (Job shop-release-2)"), progress.toString());
        var job = client.batch().v1().jobs().inNamespace(NS).withName("shop-release-2").get();
        assertEquals(List.of("/bin/sh", "-c", "python migrate.py --second-try"),
                job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand());
    }

    /** What the API server answers a write based on an older version of the object. */
    private static io.fabric8.kubernetes.api.model.Status conflict(String name) {
        return new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(409).withReason("Conflict")
                .withMessage("Operation cannot be fulfilled on deployments.apps \"" + name
                        + "\": the object has been modified; please apply your changes to the latest version and try again")
                .build();
    }

    @Test
    void aControllerWritingTheDeploymentBetweenTheDriversReadAndWrite_doesNotFailTheDeploy() throws Exception {
        driver.apply(plan(1), progress::add);
        // the Deployment's controller writes its status after the driver read the Deployment: its write is refused once
        server.expect().put().withPath("/apis/apps/v1/namespaces/hop3/deployments/shop-web")
                .andReturn(409, conflict("shop-web")).once();

        driver.apply(plan(2, Map.of("web", "gunicorn app:app -w 3"), Map.of("web", 1), null, Duration.ofSeconds(20)), progress::add);

        Deployment web = deployment("shop-web");
        assertEquals("2", web.getMetadata().getLabels().get("hop3.cloud/release"));
        assertEquals(List.of("/bin/sh", "-c", "gunicorn app:app -w 3"), web.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand());
    }

    @Test
    void aRestartAndAScaleMeetingAConflictAreMadeOnTheObjectReadAgain() throws Exception {
        driver.apply(plan(1), progress::add);
        server.expect().patch().withPath("/apis/apps/v1/namespaces/hop3/deployments/shop-web")
                .andReturn(409, conflict("shop-web")).once();
        driver.restart(AppName.of("shop"));
        assertNotNull(deployment("shop-web").getSpec().getTemplate().getMetadata().getAnnotations().get("kubectl.kubernetes.io/restartedAt"));

        server.expect().put().withPath("/apis/apps/v1/namespaces/hop3/deployments/shop-web/scale")
                .andReturn(409, conflict("shop-web")).once();
        driver.scale(AppName.of("shop"), new Formation(Map.of("web", 3)));
        assertEquals(3, deployment("shop-web").getSpec().getReplicas());
    }

    @Test
    void aConflictThatLastsIsReported_andThePreviousReleaseServes() throws Exception {
        driver.apply(plan(1), progress::add);
        server.expect().put().withPath("/apis/apps/v1/namespaces/hop3/deployments/shop-web")
                .andReturn(409, conflict("shop-web")).times(ConflictRetry.ATTEMPTS);

        ProcessException e = assertThrows(ProcessException.class, () -> driver.apply(
                plan(2, Map.of("web", "gunicorn app:app -w 3"), Map.of("web", 1), null, Duration.ofSeconds(20)), progress::add));

        assertTrue(e.getMessage().contains("conflict") && e.getMessage().contains("the object has been modified"), e.getMessage());
        assertEquals("1", deployment("shop-web").getMetadata().getLabels().get("hop3.cloud/release"));
    }

    @Test
    void statusTellsACrashLoop() throws Exception {
        kubelet.outcome(c -> c.contains("worker") ? Kubelet.Outcome.CRASH_LOOP : Kubelet.Outcome.READY);
        assertThrows(ProcessException.class, () -> driver.apply(plan(1, Map.of("worker", "python worker.py"),
                Map.of("worker", 1), null, Duration.ofSeconds(1)), progress::add));
        client.apps().deployments().inNamespace(NS).withName("shop-worker").get();
    }

    @Test
    void previewSendsNothing() throws Exception {
        String yaml = driver.preview(plan(1));
        assertTrue(yaml.contains("kind: \"Deployment\"") || yaml.contains("kind: Deployment"), yaml);
        assertTrue(yaml.contains("name: \"shop-web\"") || yaml.contains("name: shop-web"), yaml);
        assertEquals(7, yaml.split("(?m)^---$").length, yaml);
        assertTrue(client.apps().deployments().inAnyNamespace().list().getItems().isEmpty());
        assertTrue(client.secrets().inAnyNamespace().list().getItems().isEmpty());
    }

    @Test
    void aRefusalOfTheServerIsToldPlainly() throws Exception {
        server.expect().post().withPath("/apis/apps/v1/namespaces/hop3/deployments")
                .andReturn(403, new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403).withReason("Forbidden")
                        .withMessage("exceeded quota: compute, requested: pods=1").build()).always();
        ProcessException e = assertThrows(ProcessException.class, () -> driver.apply(plan(1), progress::add));
        assertTrue(e.getMessage().contains("exceeded quota"), e.getMessage());
    }

    @Test
    void anUnreachableServerIsToldPlainly() throws Exception {
        var config = new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl("https://127.0.0.1:1")
                .withRequestRetryBackoffLimit(0).withConnectionTimeout(1000).build();
        try (var away = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
            ProcessException e = assertThrows(ProcessException.class,
                    () -> new KubernetesDriver(away, DriverSettings.defaults()).apply(plan(1), progress::add));
            assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
        }
    }

    @Test
    void namesFitDnsLabels() {
        String long63 = "a".repeat(63);
        String name = KubernetesNames.name(long63, "release", "12");
        assertTrue(name.length() <= 63 && name.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?"), name);
        assertEquals("shop-web", KubernetesNames.name("shop", "web"));
        assertTrue(KubernetesNames.name("shop", "my_type").matches("shop-my-type-[0-9a-f]{8}"));
    }
}
