package cloud.hop3.driver.kubernetes;

import static cloud.hop3.driver.kubernetes.KubernetesNames.appSelector;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.app.Formation;
import cloud.hop3.api.app.HostName;
import cloud.hop3.api.process.LogChunk;
import cloud.hop3.api.process.ProcessDriver;
import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ProcessStatus;
import cloud.hop3.api.process.ReleaseDriver;
import cloud.hop3.api.process.ReleasePlan;
import cloud.hop3.api.proxy.TlsCertificate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code kubernetes} driver: puts an app's release into service on a Kubernetes cluster (a
 * Deployment per process type, a Service and an Ingress for web), with the cluster's own rolling
 * update and readiness probes. Every object it makes carries {@code app.kubernetes.io/managed-by=hop3}
 * and {@code hop3.cloud/app=<app>}; {@link #remove} deletes those and nothing else.
 */
@Component(service = {ReleaseDriver.class, ProcessDriver.class}, property = ProcessDriver.NAME_PROPERTY + "=kubernetes",
        configurationPid = "cloud.hop3.driver.kubernetes")
@Designate(ocd = KubernetesDriver.Config.class)
public class KubernetesDriver implements ReleaseDriver {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesDriver.class);

    @ObjectClassDefinition(name = "Hop3 Kubernetes driver", description = "Runs apps' releases on a Kubernetes cluster.")
    public @interface Config {
        @AttributeDefinition(description = "Path of the kubeconfig file to use. Empty: the pod's service account when the platform runs in the cluster, else $KUBECONFIG or ~/.kube/config.")
        String kubeconfig() default "";

        @AttributeDefinition(description = "URL of the API server, over the kubeconfig's. Empty: the kubeconfig's.")
        String apiServer() default "";

        @AttributeDefinition(description = "Whether every app has a namespace of its own, hop3-<app> (app), or all share one (platform).")
        String namespaceMode() default "platform";

        @AttributeDefinition(description = "The namespace of every app when namespaceMode is platform.")
        String namespace() default "hop3";

        @AttributeDefinition(description = "Ingress class of the apps' Ingresses. Empty: the cluster's default class.")
        String ingressClass() default "";

        @AttributeDefinition(description = "Runtime images over the stock ones, each runtime=image, such as python=python:3.12-slim.")
        String[] runtimeImages() default {};

        @AttributeDefinition(description = "Image of the init container that fetches and unpacks the slug; it needs sh, curl and tar.")
        String initImage() default DriverSettings.STOCK_INIT_IMAGE;

        @AttributeDefinition(description = "Milliseconds between two reads of a rollout's progress.")
        long pollMillis() default 1000;

        @AttributeDefinition(description = "Seconds between two reconciles, which recreate the objects of the apps' serving"
                + " releases that are missing from the cluster (a Deployment deleted by hand). 0: only when an app is scaled.")
        long reconcileSeconds() default 60;
    }

    private final KubernetesClient client;
    private final DriverSettings settings;
    private final Map<AppName, ReleasePlan> applied = new java.util.concurrent.ConcurrentHashMap<>();
    private final AppliedObjects kept;
    /** One change at a time per app: a reconcile never recreates what a removal is deleting. */
    private final Map<AppName, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile java.util.concurrent.ScheduledExecutorService reconciler;

    @Activate
    public KubernetesDriver(Config config) throws IOException {
        this(client(config), new DriverSettings(config.namespace(), "app".equals(config.namespaceMode()),
                config.ingressClass(), DriverSettings.images(config.runtimeImages()), config.initImage(),
                Duration.ofMillis(Math.max(50, config.pollMillis()))));
        if (config.reconcileSeconds() > 0) {
            reconcileEvery(Duration.ofSeconds(config.reconcileSeconds()));
        }
    }

    /** A driver on a client, with its settings. */
    public KubernetesDriver(KubernetesClient client, DriverSettings settings) {
        this.client = client;
        this.settings = settings;
        this.kept = new AppliedObjects(client);
    }

    /** Reconciles every app this driver put on the cluster, every {@code every}, until closed. */
    void reconcileEvery(Duration every) {
        java.util.concurrent.ScheduledExecutorService s = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hop3-kubernetes-reconcile");
            t.setDaemon(true);
            return t;
        });
        s.scheduleWithFixedDelay(this::reconcileAll, every.toMillis(), every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        reconciler = s;
    }

    /** One reconcile of every app whose applied objects the cluster keeps; a failure is logged and tried again next time. */
    void reconcileAll() {
        try {
            for (String ns : namespaces()) {
                for (Secret secret : client.secrets().inNamespace(ns).withLabel(AppliedObjects.LABEL, "true").list().getItems()) {
                    String app = secret.getMetadata().getAnnotations() == null ? null
                            : secret.getMetadata().getAnnotations().get(AppliedObjects.APP_NAME);
                    if (app != null && AppName.isValid(app)) {
                        reconcile(AppName.of(app));
                    }
                }
            }
        } catch (ProcessException | RuntimeException e) {
            LOG.warn("Kubernetes driver: a reconcile failed, tried again at the next: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> namespaces() {
        if (!settings.perApp()) {
            return List.of(settings.namespace());
        }
        return client.namespaces().withLabel(KubernetesNames.MANAGED_BY, KubernetesNames.HOP3).list().getItems().stream()
                .map(n -> n.getMetadata().getName()).toList();
    }

    private Object lock(AppName app) {
        return locks.computeIfAbsent(app, a -> new Object());
    }

    private static KubernetesClient client(Config config) throws IOException {
        io.fabric8.kubernetes.client.Config base = config.kubeconfig().isEmpty() ? new ConfigBuilder().build()
                : io.fabric8.kubernetes.client.Config.fromKubeconfig(Files.readString(Path.of(config.kubeconfig())));
        ConfigBuilder builder = new ConfigBuilder(base).withRequestRetryBackoffLimit(1).withConnectionTimeout(5000);
        if (!config.apiServer().isEmpty()) {
            builder.withMasterUrl(config.apiServer());
        }
        return new KubernetesClientBuilder().withHttpClientFactory(new JdkHttpClientFactory()).withConfig(builder.build()).build();
    }

    @Deactivate
    void close() {
        var s = reconciler;
        if (s != null) {
            s.shutdownNow();
        }
        client.close();
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public void apply(ReleasePlan plan, Consumer<String> progress) throws ProcessException, InterruptedException {
        synchronized (lock(plan.app())) {
            cluster("apply release " + plan.release() + " of " + plan.app(), () -> {
                ensureNamespace(plan.app());
                new Rollout(client, settings, plan, progress).run();
                kept.remember(ns(plan.app()), plan.app().value(), plan.release(), new ReleaseObjects(plan, settings).serving());
                return null;
            });
        }
        applied.put(plan.app(), plan);
    }

    @Override
    public String preview(ReleasePlan plan) throws ProcessException {
        ReleaseObjects objects = new ReleaseObjects(plan, settings);
        return objects.all().stream().map(o -> client.getKubernetesSerialization().asYaml(o))
                .map(y -> y.startsWith("---") ? y.substring(y.indexOf('\n') + 1) : y)
                .collect(Collectors.joining("---\n"));
    }

    @Override
    public void scale(AppName app, Formation formation) throws ProcessException, InterruptedException {
        reconcile(app);
        synchronized (lock(app)) {
            cluster("scale " + app, () -> {
                for (Map.Entry<String, Integer> e : formation.counts().entrySet()) {
                    var deployment = client.apps().deployments().inNamespace(ns(app)).withName(KubernetesNames.name(app.value(), e.getKey()));
                    if (deployment.get() == null) {
                        throw new ProcessException("App " + app + " has no '" + e.getKey() + "' process on Kubernetes;"
                                + " deploy it with that process type first.");
                    }
                    int count = e.getValue();
                    ConflictRetry.retrying(() -> deployment.scale(count));
                }
                kept.rescale(ns(app), app.value(), formation.counts());
                return null;
            });
        }
    }

    /**
     * Recreates the objects of the app's serving release that are missing from the cluster (a
     * Deployment deleted by hand), from what the cluster keeps of the last apply (see
     * {@link AppliedObjects}), so also after the platform restarted; does nothing for an app the
     * driver never applied.
     */
    public void reconcile(AppName app) throws ProcessException, InterruptedException {
        synchronized (lock(app)) {
            cluster("reconcile " + app, () -> {
                for (HasMetadata o : kept.recall(ns(app), app.value())) {
                    if (client.resource(o).get() == null) {
                        client.resource(o).create();
                        LOG.info("Kubernetes driver: recreated {} {} of app {}, missing from the cluster", o.getKind(),
                                o.getMetadata().getName(), app);
                    }
                }
                return null;
            });
        }
    }

    @Override
    public void route(AppName app, List<HostName> hosts, TlsCertificate certificate) throws ProcessException, InterruptedException {
        synchronized (lock(app)) {
            cluster("change the host names of " + app, () -> {
                String ns = ns(app);
                List<HasMetadata> objects = new java.util.ArrayList<>(kept.recall(ns, app.value()));
                Service web = objects.stream().filter(o -> o instanceof Service).map(o -> (Service) o).findFirst()
                        .orElseThrow(() -> new ProcessException("App " + app + " has no web process on Kubernetes;"
                                + " its host names apply once a release with one serves."));
                int release = Integer.parseInt(web.getMetadata().getLabels().getOrDefault(KubernetesNames.RELEASE, "0"));
                objects.removeIf(o -> o instanceof Ingress || (o instanceof Secret s && "kubernetes.io/tls".equals(s.getType())));
                String ingressName = KubernetesNames.name(app.value());
                String tlsName = KubernetesNames.name(app.value(), "tls");
                if (hosts.isEmpty()) {
                    client.network().v1().ingresses().inNamespace(ns).withName(ingressName).delete();
                    client.secrets().inNamespace(ns).withName(tlsName).delete();
                } else {
                    if (certificate != null) {
                        Secret tls = ReleaseObjects.tlsSecret(app.value(), ns, release, certificate);
                        ConflictRetry.apply(client, tls);
                        objects.add(tls);
                    } else {
                        client.secrets().inNamespace(ns).withName(tlsName).delete();
                    }
                    Ingress ingress = ReleaseObjects.ingress(app.value(), ns, release, settings, hosts, certificate != null);
                    ConflictRetry.apply(client, ingress);
                    objects.add(ingress);
                }
                kept.remember(ns, app.value(), release, objects);
                return null;
            });
        }
    }

    @Override
    public void restart(AppName app) throws ProcessException, InterruptedException {
        cluster("restart " + app, () -> {
            for (Deployment d : client.apps().deployments().inNamespace(ns(app)).withLabels(appSelector(app.value())).list().getItems()) {
                ConflictRetry.retrying(() -> client.apps().deployments().inNamespace(ns(app)).withName(d.getMetadata().getName()).edit(x -> {
                    x.getSpec().getTemplate().getMetadata().getAnnotations()
                            .put("kubectl.kubernetes.io/restartedAt", Instant.now().toString());
                    return x;
                }));
            }
            return null;
        });
    }

    @Override
    public void remove(AppName app) throws ProcessException, InterruptedException {
        synchronized (lock(app)) {
            cluster("remove " + app, () -> {
                String ns = ns(app);
                Map<String, String> labels = appSelector(app.value());
                client.secrets().inNamespace(ns).withName(AppliedObjects.name(app.value())).delete();
                client.batch().v1().cronjobs().inNamespace(ns).withLabels(labels).delete();
                client.batch().v1().jobs().inNamespace(ns).withLabels(labels).delete();
                client.network().v1().ingresses().inNamespace(ns).withLabels(labels).delete();
                client.services().inNamespace(ns).withLabels(labels).delete();
                client.apps().deployments().inNamespace(ns).withLabels(labels).delete();
                client.secrets().inNamespace(ns).withLabels(labels).delete();
                client.pods().inNamespace(ns).withLabels(labels).delete();
                if (settings.perApp()) {
                    client.namespaces().withLabels(labels).delete();
                }
                applied.remove(app);
                return null;
            });
        }
    }

    @Override
    public ProcessStatus start(ProcessLaunch launch) throws ProcessException {
        throw new ProcessException("The kubernetes driver starts whole releases (apply), not single processes.");
    }

    @Override
    public void stop(String processId, Duration grace) {
        // single processes are not started by this driver, so there is none to stop
    }

    @Override
    public int run(ProcessLaunch launch, OutputStream output, Duration timeout) throws ProcessException, InterruptedException {
        return cluster("run a command of " + launch.app(), () -> {
            AppName app = launch.app();
            ReleasePlan plan = applied.get(app);
            io.fabric8.kubernetes.api.model.PodTemplateSpec template;
            // in the release that serves on the cluster (a scale makes a release in core, not here)
            if (plan != null) {
                template = new ReleaseObjects(plan, settings).pod("run", launch.command(), "Never");
            } else {
                // applied before the platform restarted: the pod of one of the serving release's Deployments
                Deployment deployment = kept.recall(ns(app), app.value()).stream()
                        .filter(o -> o instanceof Deployment).map(o -> (Deployment) o).findFirst()
                        .orElseThrow(() -> new ProcessException("App " + app + " has no release serving on Kubernetes;"
                                + " deploy it before running a command in it."));
                template = OneOffRun.fromDeployment(deployment, launch.command());
            }
            return new OneOffRun(client, settings, ns(app), template).run(launch, output, timeout);
        });
    }

    @Override
    public List<ProcessStatus> status(AppName app) {
        return PodStates.of(app, client.pods().inNamespace(ns(app)).withLabels(appSelector(app.value())).list().getItems());
    }

    @Override
    public LogChunk tail(AppName app, int lines) {
        return new PodLogs(client, ns(app), app).tail(lines);
    }

    @Override
    public LogChunk logs(AppName app, String from, int max) {
        return new PodLogs(client, ns(app), app).from(from, max);
    }

    private String ns(AppName app) {
        return settings.namespaceOf(app.value());
    }

    private void ensureNamespace(AppName app) {
        String ns = ns(app);
        if (client.namespaces().withName(ns).get() == null) {
            client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                    .withName(ns).withLabels(settings.perApp() ? KubernetesNames.labels(app.value(), 0, null)
                            : Map.of(KubernetesNames.MANAGED_BY, KubernetesNames.HOP3)).endMetadata().build()).create();
        }
    }

    /** Work against the cluster. */
    interface ClusterWork<T> {
        T run() throws ProcessException, InterruptedException;
    }

    /** Runs work against the cluster, with the cluster's refusals as messages a user can act on. */
    private <T> T cluster(String what, ClusterWork<T> work) throws ProcessException, InterruptedException {
        try {
            return work.run();
        } catch (KubernetesClientException e) {
            throw ClusterErrors.of("Cannot " + what + " on " + client.getMasterUrl(), e);
        } catch (java.io.UncheckedIOException e) {
            throw new ProcessException("Cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
