package cloud.hop3.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import cloud.hop3.driver.kubernetes.Kubelet;
import cloud.hop3.driver.kubernetes.MockCluster;
import cloud.hop3.itests.Command.Result;
import cloud.hop3.plugin.support.server.FreePorts;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;

/**
 * An app whose hop3.toml asks for the {@code kubernetes} driver, pushed with git to the
 * distribution, with the driver's feature installed into the running platform and pointed by a
 * kubeconfig at a cluster: fabric8's mock API server in CRUD mode, in this JVM, whose pods a test
 * kubelet makes and marks ready. What a user of the cluster would see is read back with fabric8's
 * client: the Deployment, Service and Ingress of the release, its env Secret with a config var
 * set afterwards, the slug its pods fetch from the platform with their release's token (and that
 * nothing else fetches), the replicas after a scale, the release after a rollback, the previous
 * release still serving after a push whose pods crash-loop, and nothing of the app left after
 * it is destroyed, with the namespace's other objects untouched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesIT {

    private static final String APP = "kshop";
    private static final String NS = "hop3-apps";
    private static final String WEB = APP + "-web";
    private static final String RELEASE = "hop3.cloud/release";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String APP_PY = """
            import http.server, os

            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = ("ok" if self.path == "/health" else "hello " + os.environ.get("GREETING", "nobody")).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            http.server.ThreadingHTTPServer(("0.0.0.0", int(os.environ["PORT"])), Handler).serve_forever()
            """;

    private static KubernetesMockServer cluster;
    private static KubernetesClient client;
    private static Kubelet kubelet;
    private static Distribution platform;
    private static AppSource source;
    private static String publicUrl;
    /** The slug URL and token of release 1, read from its pods' spec before release 2 replaces it. */
    private static String firstSlugUrl;
    private static String firstToken;

    @BeforeAll
    static void start() throws Exception {
        cluster = MockCluster.startHttp(FreePorts.any());
        client = cluster.createClient();
        kubelet = new Kubelet(client);
        // objects of the namespace that are not the app's: destroying the app leaves them
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("site-settings").withNamespace(NS).endMetadata()
                .addToData("colour", "blue").build()).create();
        client.resource(new SecretBuilder().withNewMetadata().withName("other-env-1").withNamespace(NS)
                .addToLabels("app.kubernetes.io/managed-by", "hop3").addToLabels("hop3.cloud/app", "other").endMetadata()
                .addToStringData("A", "b").build()).create();

        platform = new Distribution();
        platform.removesAccounts(List.of("hop3-" + APP));
        Path kubeconfig = platform.work.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: http://127.0.0.1:%d
                users:
                - name: hop3
                  user:
                    token: test-token
                contexts:
                - name: test
                  context:
                    cluster: test
                    user: hop3
                    namespace: %s
                current-context: test
                """.formatted(cluster.getPort(), NS));
        Path etc = platform.directory().resolve("etc");
        // written before the feature is installed, so that its default configuration does not replace it
        Files.writeString(etc.resolve("cloud.hop3.driver.kubernetes.cfg"), String.join("\n",
                "kubeconfig = " + kubeconfig,
                "namespaceMode = platform",
                "namespace = " + NS,
                "pollMillis = 100", ""));
        publicUrl = "http://localhost:" + platform.apiPort;
        setProperty(etc.resolve("cloud.hop3.core.cfg"), "publicUrl", publicUrl);
        // a release whose pods never get ready fails after this many seconds
        setProperty(etc.resolve("cloud.hop3.core.cfg"), "release.deadline.seconds", "8");
        platform.hop3Ok("start");
        platform.hop3Ok("feature", "install", "hop3-driver-kubernetes");
        Hop3TestSupport.await("the kubernetes driver in plugin:list", Duration.ofMinutes(1), () -> {
            try {
                return PluginListing.row(platform.hop3Ok("plugin", "list", "--no-format"), "driver", "kubernetes").isPresent();
            } catch (IOException | InterruptedException e) {
                return false;
            }
        });
        source = new AppSource(platform, APP).writeAll(Map.of(
                "requirements.txt", "# the standard library is enough\n",
                "app.py", APP_PY,
                "hop3.toml", """
                        driver = "kubernetes"

                        [run]
                        start = "python app.py"

                        [run.scale]
                        web = 2

                        [healthcheck]
                        path = "/health"
                        timeout = 5
                        """));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (platform != null) {
                platform.close();
            }
        } finally {
            if (kubelet != null) {
                kubelet.close();
            }
            if (client != null) {
                client.close();
            }
            if (cluster != null) {
                cluster.destroy();
            }
        }
    }

    @Test
    @Order(1)
    void aPushRunsTheReleaseOnTheCluster() throws Exception {
        Result push = source.commitAndPush("first");
        assertEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("Process driver: kubernetes (hop3.toml)"), push.output());
        assertTrue(push.output().contains("Handing v1 to the process driver 'kubernetes'"), push.output());

        Deployment web = deployment();
        assertNotNull(web, "Deployment " + WEB + " in " + NS);
        assertEquals(2, web.getSpec().getReplicas(), "[run.scale] web = 2");
        Map<String, String> labels = Map.of("app.kubernetes.io/managed-by", "hop3", "hop3.cloud/app", APP, RELEASE, "1",
                "hop3.cloud/process-type", "web");
        assertEquals(labels, web.getMetadata().getLabels());
        assertEquals(labels, web.getSpec().getTemplate().getMetadata().getLabels());
        Container main = web.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("python:3.12-slim", main.getImage(), "the image of the python runtime");
        assertEquals(List.of("/bin/sh", "-c"), main.getCommand().subList(0, 2));
        assertTrue(main.getCommand().get(2).contains("python app.py"), main.getCommand().toString());
        assertEquals("/health", main.getReadinessProbe().getHttpGet().getPath());

        Service service = client.services().inNamespace(NS).withName(WEB).get();
        assertNotNull(service, "Service " + WEB);
        assertEquals("web", service.getSpec().getSelector().get("hop3.cloud/process-type"));
        Ingress ingress = client.network().v1().ingresses().inNamespace(NS).withName(APP).get();
        assertNotNull(ingress, "Ingress " + APP);
        assertEquals(APP + ".localhost", ingress.getSpec().getRules().get(0).getHost());
        assertEquals(WEB, ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName());

        String driver = platform.hop3Ok("app", "driver", APP);
        assertTrue(driver.contains("kubernetes (chosen for the app; puts whole releases into service)"), driver);
        awaitProcesses(2, "v1");

        Container init = web.getSpec().getTemplate().getSpec().getInitContainers().get(0);
        firstSlugUrl = env(init, "SLUG_URL").getValue();
        firstToken = secretValue(env(init, "SLUG_TOKEN").getValueFrom().getSecretKeyRef());
    }

    @Test
    @Order(2)
    void aConfigVarIsInTheEnvSecretOfTheNextReleaseAndOnlyItsTokenFetchesItsSlug() throws Exception {
        platform.hop3Ok("app", "config-set", APP, "GREETING=bonjour");
        Deployment web = deployment();
        assertEquals("2", web.getMetadata().getLabels().get(RELEASE));
        Container main = web.getSpec().getTemplate().getSpec().getContainers().get(0);
        SecretKeySelector greeting = env(main, "GREETING").getValueFrom().getSecretKeyRef();
        assertEquals(APP + "-env-2", greeting.getName());
        assertEquals("bonjour", secretValue(greeting));
        assertNull(client.secrets().inNamespace(NS).withName(APP + "-env-1").get(), "the Secret of release 1 is gone");

        Container init = web.getSpec().getTemplate().getSpec().getInitContainers().get(0);
        String slugUrl = env(init, "SLUG_URL").getValue();
        assertEquals(publicUrl + "/api/v1/apps/" + APP + "/releases/2/slug", slugUrl);
        String token = secretValue(env(init, "SLUG_TOKEN").getValueFrom().getSecretKeyRef());

        HttpResponse<byte[]> slug = fetch(slugUrl, token);
        assertEquals(200, slug.statusCode());
        assertTrue(slug.headers().firstValue("Content-Type").orElse("").startsWith("application/gzip"), slug.headers().toString());
        Path archive = platform.work.resolve("slug-2.tar.gz");
        Files.write(archive, slug.body());
        Result listing = Command.run(platform.work, Map.of(), WAIT, "tar", "-tzf", archive.toString());
        assertEquals(0, listing.exit(), listing.toString());
        assertTrue(listing.output().lines().anyMatch(l -> l.equals("./app.py")), listing.output());
        Result file = Command.run(platform.work, Map.of(), WAIT, "tar", "-xzOf", archive.toString(), "./app.py");
        assertEquals(APP_PY, file.output());

        assertEquals(404, fetch(slugUrl, null).statusCode(), "no token");
        assertEquals(404, fetch(slugUrl, firstToken).statusCode(), "the token of release 1");
        assertEquals(404, fetch(firstSlugUrl, token).statusCode(), "release 2's token for release 1's slug");
        assertEquals(404, fetch(slugUrl, token + "x").statusCode(), "a wrong token");
    }

    @Test
    @Order(3)
    void scalingSetsTheReplicasOfTheDeployment() throws Exception {
        platform.hop3Ok("app", "scale", APP, "web=3");
        assertEquals(3, deployment().getSpec().getReplicas());
        awaitProcesses(3, "v2");
    }

    @Test
    @Order(4)
    void aDomainAddedOrRemovedReachesTheIngressWithoutANewRelease() throws Exception {
        String releases = platform.hop3Ok("app", "releases", "--no-format", APP);
        platform.hop3Ok("domain", "add", APP, "www.kshop.example");
        assertEquals(List.of(APP + ".localhost", "www.kshop.example"), ingressHosts());
        platform.hop3Ok("domain", "remove", APP, "www.kshop.example");
        assertEquals(List.of(APP + ".localhost"), ingressHosts());
        assertEquals(releases, platform.hop3Ok("app", "releases", "--no-format", APP), "a domain change made a release");
        assertEquals(3, deployment().getSpec().getReplicas());
    }

    private static List<String> ingressHosts() {
        return client.network().v1().ingresses().inNamespace(NS).withName(APP).get().getSpec().getRules().stream()
                .map(r -> r.getHost()).toList();
    }

    @Test
    @Order(5)
    void aRollbackIsANewReleaseWithTheEarlierConfig() throws Exception {
        String before = deployment().getMetadata().getLabels().get(RELEASE);
        Result rollback = platform.hop3("app", "rollback", APP, "1");
        assertEquals(0, rollback.exit(), rollback.toString());
        assertTrue(rollback.output().contains("Rollback to v1, now v4"), rollback.output());
        Deployment web = deployment();
        assertNotEquals(before, web.getMetadata().getLabels().get(RELEASE));
        assertEquals("4", web.getMetadata().getLabels().get(RELEASE));
        assertEquals(2, web.getSpec().getReplicas(), "the formation of v1");
        Container main = web.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertTrue(main.getEnv().stream().noneMatch(e -> e.getName().equals("GREETING")), "v1 had no GREETING: " + main.getEnv());
        assertNotNull(client.secrets().inNamespace(NS).withName(APP + "-env-4").get());
        assertNull(client.secrets().inNamespace(NS).withName(APP + "-env-2").get());
    }

    @Test
    @Order(6)
    void aPushWhosePodsCrashLoopFailsAndThePreviousReleaseStillServes() throws Exception {
        kubelet.outcome(command -> Kubelet.Outcome.CRASH_LOOP);
        Result push;
        try {
            push = source.write("app.py", APP_PY.replace("hello ", "hi ")).commitAndPush("crashes");
        } finally {
            kubelet.outcome(command -> Kubelet.Outcome.READY);
        }
        assertNotEquals(0, push.exit(), push.toString());
        assertTrue(push.output().contains("Release 5 of " + APP + " was not ready within 8s"), push.output());
        assertTrue(push.output().contains("CrashLoopBackOff"), push.output());
        assertTrue(push.output().contains("the previous release still serves"), push.output());

        Deployment web = deployment();
        assertEquals("4", web.getMetadata().getLabels().get(RELEASE));
        assertEquals("4", web.getSpec().getTemplate().getMetadata().getLabels().get(RELEASE));
        assertNotNull(client.secrets().inNamespace(NS).withName(APP + "-env-4").get());
        assertNull(client.secrets().inNamespace(NS).withName(APP + "-env-5").get(), "no Secret of the release that never served");
        String releases = platform.hop3Ok("app", "releases", "--no-format", APP);
        assertTrue(releases.lines().anyMatch(l -> l.startsWith("v4 (current)")), releases);
        awaitProcesses(2, "v4");
    }

    @Test
    @Order(7)
    void destroyingTheAppRemovesItsObjectsAndNothingElse() throws Exception {
        platform.hop3Ok("app", "destroy", "--force", APP);
        Map<String, String> app = Map.of("hop3.cloud/app", APP);
        assertEquals(List.of(), client.apps().deployments().inNamespace(NS).withLabels(app).list().getItems());
        assertEquals(List.of(), client.services().inNamespace(NS).withLabels(app).list().getItems());
        assertEquals(List.of(), client.network().v1().ingresses().inNamespace(NS).withLabels(app).list().getItems());
        assertEquals(List.of(), client.secrets().inNamespace(NS).withLabels(app).list().getItems());
        Hop3TestSupport.await("the app's pods to be gone", WAIT,
                () -> client.pods().inNamespace(NS).withLabels(app).list().getItems().isEmpty());
        assertNotNull(client.configMaps().inNamespace(NS).withName("site-settings").get());
        assertNotNull(client.secrets().inNamespace(NS).withName("other-env-1").get());
        assertFalse(platform.hop3Ok("app", "list", "--no-format").contains(APP));
    }

    private static Deployment deployment() {
        return client.apps().deployments().inNamespace(NS).withName(WEB).get();
    }

    /** Waits until app:ps lists exactly {@code count} web processes, all running {@code release}. */
    private static void awaitProcesses(int count, String release) throws InterruptedException {
        Pattern running = Pattern.compile("web\\.\\d+\\trunning\\t" + release + "\\t.*");
        String[] last = {""};
        try {
            Hop3TestSupport.await(count + " web processes of " + release + " running", WAIT, () -> {
                try {
                    last[0] = platform.hop3Ok("app", "ps", "--no-format", APP);
                } catch (IOException | InterruptedException e) {
                    return false;
                }
                List<String> lines = last[0].lines().filter(l -> !l.isBlank()).toList();
                return lines.size() == count && lines.stream().allMatch(l -> running.matcher(l).matches());
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; app:ps said:\n" + last[0], e);
        }
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in the env of " + container.getName() + ": " + container.getEnv()));
    }

    /** The value of a key of a Secret of the namespace, as a pod would get it. */
    private static String secretValue(SecretKeySelector ref) {
        Secret secret = client.secrets().inNamespace(NS).withName(ref.getName()).get();
        assertNotNull(secret, "Secret " + ref.getName());
        if (secret.getData() != null && secret.getData().containsKey(ref.getKey())) {
            return new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8);
        }
        if (secret.getStringData() != null && secret.getStringData().containsKey(ref.getKey())) {
            return secret.getStringData().get(ref.getKey());
        }
        throw new AssertionError(ref.getKey() + " not in Secret " + ref.getName());
    }

    private static HttpResponse<byte[]> fetch(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(WAIT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void setProperty(Path cfg, String key, String value) throws IOException {
        String text = Files.readString(cfg);
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=.*$").matcher(text);
        Files.writeString(cfg, line.find() ? line.replaceFirst(Matcher.quoteReplacement(key + " = " + value))
                : text + "\n" + key + " = " + value + "\n");
    }
}
