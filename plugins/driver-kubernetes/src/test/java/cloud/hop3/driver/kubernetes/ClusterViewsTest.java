package cloud.hop3.driver.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.process.LogChunk;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.api.process.ReleasePlan;
import cloud.hop3.api.proxy.TlsCertificate;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user reads and does on an app running on the cluster: {@code app:ps} (its pods and their
 * states), {@code app:logs} (the pods' lines in time order, followed from a position without a line
 * twice), {@code app:restart}, an app in a namespace of its own, and its certificate as a TLS
 * Secret of its Ingress.
 */
class ClusterViewsTest extends ClusterTest {

    private static final AppName SHOP = AppName.of("shop");

    @TempDir
    Path dir;

    private KubernetesDriver driver(boolean perApp) {
        return new KubernetesDriver(client, quickSettings(perApp));
    }

    private List<Pod> pods(String namespace) {
        List<Pod> pods = new ArrayList<>(client.pods().inNamespace(namespace).list().getItems());
        pods.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        return pods;
    }

    @Test
    void psShowsTheServingPodsByTypeAndIndex() throws Exception {
        KubernetesDriver driver = driver(false);
        driver.apply(KubernetesDriverTest.plan(1), progress::add);

        List<ProcessStatus> status = driver.status(SHOP);
        List<ProcessStatus> web = status.stream().filter(s -> s.type().equals("web")).toList();
        List<ProcessStatus> worker = status.stream().filter(s -> s.type().equals("worker")).toList();
        assertEquals(2, web.size(), status.toString());
        assertEquals(1, worker.size(), status.toString());
        assertEquals(List.of(1, 2), web.stream().map(ProcessStatus::index).toList());
        assertTrue(status.stream().allMatch(s -> s.state() == ProcessState.RUNNING && s.release() == 1), status.toString());
        assertEquals(ReleaseObjects.WEB_PORT, web.get(0).port());
        assertEquals(0, worker.get(0).port());
        // the release Job's pod, ended, is not a process of the app
        assertTrue(status.stream().noneMatch(s -> s.type().equals("release")), status.toString());
    }

    @Test
    void logsInterleaveThePodsInTimeAndFollowWithoutRepeating() throws Exception {
        KubernetesDriver driver = driver(false);
        driver.apply(KubernetesDriverTest.plan(1, Map.of("web", "gunicorn app:app"), Map.of("web", 2), null,
                Duration.ofSeconds(20)), progress::add);
        List<Pod> pods = pods(KubernetesDriverTest.NS).stream()
                .filter(p -> "web".equals(p.getMetadata().getLabels().get(KubernetesNames.TYPE))).toList();
        assertEquals(2, pods.size());
        String first = pods.get(0).getMetadata().getName();
        String second = pods.get(1).getMetadata().getName();
        log(first, "2026-12-06T10:00:01.000000000Z booted\n2026-12-06T10:00:03.000000000Z GET / 200\n");
        log(second, "2026-12-06T10:00:02.000000000Z booted\n");

        LogChunk tail = driver.tail(SHOP, 2);
        assertEquals(List.of("web.2 | booted", "web.1 | GET / 200"), tail.lines());

        // the same line twice in a pod is two lines, and only lines after the position come
        log(first, "2026-12-06T10:00:01.000000000Z booted\n2026-12-06T10:00:03.000000000Z GET / 200\n"
                + "2026-12-06T10:00:04.000000000Z GET / 200\n2026-12-06T10:00:05.000000000Z GET / 200\n");
        log(second, "2026-12-06T10:00:02.000000000Z booted\n2026-12-06T10:00:04.500000000Z GET /x 404\n");
        LogChunk next = driver.logs(SHOP, tail.next(), 10);
        assertEquals(List.of("web.1 | GET / 200", "web.2 | GET /x 404", "web.1 | GET / 200"), next.lines());
        log(first, "2026-12-06T10:00:05.000000000Z GET / 200\n");
        log(second, "2026-12-06T10:00:04.500000000Z GET /x 404\n");
        assertEquals(List.of(), driver.logs(SHOP, next.next(), 10).lines());

        assertThrows(IllegalArgumentException.class, () -> driver.logs(SHOP, "pod=../../etc", 10));
    }

    private void log(String pod, String text) {
        server.expect().get().withPath("/api/v1/namespaces/hop3/pods/" + pod + "/log?pretty=false&timestamps=true")
                .andReturn(200, text).once();
    }

    @Test
    void restartRollsEveryDeploymentOfTheAppAndNoOther() throws Exception {
        KubernetesDriver driver = driver(false);
        driver.apply(KubernetesDriverTest.plan(1), progress::add);
        ReleasePlan other = new ReleasePlan(AppName.of("blog"), 1, "static", Map.of("web", "serve"), new Formation(Map.of("web", 1)),
                Map.of(), KubernetesDriverTest.plan(1).slug(), "t", ReleasePlan.Health.ANY, List.of(), null, List.of(), null, null,
                Duration.ofSeconds(20));
        driver.apply(other, progress::add);

        driver.restart(SHOP);

        for (String name : List.of("shop-web", "shop-worker")) {
            Deployment d = client.apps().deployments().inNamespace(KubernetesDriverTest.NS).withName(name).get();
            assertNotNull(d.getSpec().getTemplate().getMetadata().getAnnotations().get("kubectl.kubernetes.io/restartedAt"), name);
        }
        Deployment blog = client.apps().deployments().inNamespace(KubernetesDriverTest.NS).withName("blog-web").get();
        Map<String, String> annotations = blog.getSpec().getTemplate().getMetadata().getAnnotations();
        assertTrue(annotations == null || !annotations.containsKey("kubectl.kubernetes.io/restartedAt"), String.valueOf(annotations));
    }

    @Test
    void anAppOfItsOwnNamespaceIsRemovedWithItsNamespace() throws Exception {
        KubernetesDriver driver = driver(true);
        driver.apply(KubernetesDriverTest.plan(1), progress::add);

        String ns = KubernetesNames.name("hop3", "shop");
        assertNotNull(client.namespaces().withName(ns).get(), "namespace " + ns);
        assertNotNull(client.apps().deployments().inNamespace(ns).withName("shop-web").get());
        assertNull(client.apps().deployments().inNamespace(KubernetesDriverTest.NS).withName("shop-web").get());
        assertEquals(2, driver.status(SHOP).stream().filter(s -> s.type().equals("web")).count());

        driver.remove(SHOP);
        assertNull(client.namespaces().withName(ns).get(), "namespace " + ns + " is still there");
        assertTrue(client.apps().deployments().inAnyNamespace().list().getItems().isEmpty());
    }

    @Test
    void theCertificateServesTheIngressAsATlsSecretAndIsReplacedWithTheNextRelease() throws Exception {
        KubernetesDriver driver = driver(false);
        Path chain = Files.writeString(dir.resolve("chain.pem"), "-----BEGIN CERTIFICATE-----\nMIIB1\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nMIIE1\n-----END PRIVATE KEY-----\n");
        driver.apply(withCertificate(KubernetesDriverTest.plan(1), new TlsCertificate(chain, key)), progress::add);

        Ingress ingress = client.network().v1().ingresses().inNamespace(KubernetesDriverTest.NS).withName("shop").get();
        assertEquals(1, ingress.getSpec().getTls().size());
        assertEquals(List.of("shop.example.org"), ingress.getSpec().getTls().get(0).getHosts());
        String secretName = ingress.getSpec().getTls().get(0).getSecretName();
        Secret tls = client.secrets().inNamespace(KubernetesDriverTest.NS).withName(secretName).get();
        assertEquals("kubernetes.io/tls", tls.getType());
        assertEquals(Files.readString(chain), decode(tls.getData().get("tls.crt")));
        assertEquals(Files.readString(key), decode(tls.getData().get("tls.key")));

        Files.writeString(chain, "-----BEGIN CERTIFICATE-----\nMIIB2\n-----END CERTIFICATE-----\n");
        driver.apply(withCertificate(KubernetesDriverTest.plan(2), new TlsCertificate(chain, key)), progress::add);
        Secret renewed = client.secrets().inNamespace(KubernetesDriverTest.NS).withName(secretName).get();
        assertNotEquals(decode(tls.getData().get("tls.crt")), decode(renewed.getData().get("tls.crt")));
        assertEquals(Files.readString(chain), decode(renewed.getData().get("tls.crt")));
    }

    @Test
    void newHostNamesReachTheIngressWithoutARolloutAndSurviveAReconcile() throws Exception {
        KubernetesDriver driver = driver(false);
        driver.apply(KubernetesDriverTest.plan(1), progress::add);
        String template = client.apps().deployments().inNamespace(KubernetesDriverTest.NS).withName("shop-web").get()
                .getMetadata().getResourceVersion();
        Path chain = Files.writeString(dir.resolve("chain.pem"), "-----BEGIN CERTIFICATE-----\nMIIB3\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nMIIE3\n-----END PRIVATE KEY-----\n");

        driver.route(SHOP, List.of(HostName.of("shop.example.org"), HostName.of("www.shop.example")), new TlsCertificate(chain, key));

        Ingress ingress = client.network().v1().ingresses().inNamespace(KubernetesDriverTest.NS).withName("shop").get();
        assertEquals(List.of("shop.example.org", "www.shop.example"), ingress.getSpec().getRules().stream().map(r -> r.getHost()).toList());
        assertEquals(List.of("shop.example.org", "www.shop.example"), ingress.getSpec().getTls().get(0).getHosts());
        assertEquals(Files.readString(chain), decode(client.secrets().inNamespace(KubernetesDriverTest.NS)
                .withName(ingress.getSpec().getTls().get(0).getSecretName()).get().getData().get("tls.crt")));
        assertEquals(template, client.apps().deployments().inNamespace(KubernetesDriverTest.NS).withName("shop-web").get()
                .getMetadata().getResourceVersion(), "the Deployment was changed");

        // a reconcile brings back the new Ingress, not the release's
        client.network().v1().ingresses().inNamespace(KubernetesDriverTest.NS).withName("shop").delete();
        driver.reconcile(SHOP);
        assertEquals(2, client.network().v1().ingresses().inNamespace(KubernetesDriverTest.NS).withName("shop").get()
                .getSpec().getRules().size());

        // no host names: no Ingress, no TLS Secret
        driver.route(SHOP, List.of(), null);
        assertNull(client.network().v1().ingresses().inNamespace(KubernetesDriverTest.NS).withName("shop").get());
        assertNull(client.secrets().inNamespace(KubernetesDriverTest.NS).withName("shop-tls").get());
        driver.reconcile(SHOP);
        assertNull(client.network().v1().ingresses().inNamespace(KubernetesDriverTest.NS).withName("shop").get());

        ProcessException none = assertThrows(ProcessException.class, () -> driver.route(AppName.of("blog"), List.of(), null));
        assertTrue(none.getMessage().contains("blog"), none.getMessage());
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static ReleasePlan withCertificate(ReleasePlan p, TlsCertificate certificate) {
        return new ReleasePlan(p.app(), p.release(), p.runtime(), p.processes(), p.formation(), p.env(), p.slug(), p.slugToken(),
                p.health(), p.hosts(), certificate, p.cron(), p.releaseCommand(), p.limits(), p.deadline());
    }
}
