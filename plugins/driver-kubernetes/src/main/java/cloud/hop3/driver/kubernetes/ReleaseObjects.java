package cloud.hop3.driver.kubernetes;

import static cloud.hop3.driver.kubernetes.KubernetesNames.labels;
import static cloud.hop3.driver.kubernetes.KubernetesNames.name;
import static cloud.hop3.driver.kubernetes.KubernetesNames.typeSelector;

import cloud.hop3.api.app.HostName;
import cloud.hop3.api.process.ReleasePlan;
import cloud.hop3.api.process.ResourceLimits;
import cloud.hop3.api.proxy.TlsCertificate;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kubernetes objects of one release, made from its plan without asking the cluster: the
 * env Secret, the release Job, a Deployment per process type, the web Service and Ingress (with
 * its TLS Secret), the CronJobs.
 */
final class ReleaseObjects {

    /** The port web processes listen on, given to them as {@code PORT}. */
    static final int WEB_PORT = 5000;
    static final String SLUG_TOKEN_KEY = "hop3.slug-token";
    private static final String WEB = "web";
    private static final String APP_DIR = ReleasePlan.SLUG_ROOT;

    private final ReleasePlan plan;
    private final DriverSettings settings;
    private final String app;
    private final String namespace;

    ReleaseObjects(ReleasePlan plan, DriverSettings settings) {
        this.plan = plan;
        this.settings = settings;
        this.app = plan.app().value();
        this.namespace = settings.namespaceOf(app);
    }

    String namespace() {
        return namespace;
    }

    String envSecretName() {
        return name(app, "env", Integer.toString(plan.release()));
    }

    /** The Secret of the release's environment, and of the token that fetches its slug. */
    Secret envSecret() {
        Map<String, String> data = new TreeMap<>(plan.env());
        data.put(SLUG_TOKEN_KEY, plan.slugToken());
        return new SecretBuilder().withMetadata(meta(envSecretName(), null)).withType("Opaque")
                .withStringData(data).build();
    }

    /** The Job of the release command, null when the release has none. */
    Job releaseJob() {
        if (plan.releaseCommand() == null) {
            return null;
        }
        return new JobBuilder().withMetadata(meta(name(app, "release", Integer.toString(plan.release())), "release"))
                .withNewSpec().withBackoffLimit(0).withActiveDeadlineSeconds(plan.deadline().toSeconds())
                .withTemplate(pod("release", plan.releaseCommand(), "Never")).endSpec().build();
    }

    /** A Deployment per process type, by type. */
    Map<String, Deployment> deployments() {
        Map<String, Deployment> deployments = new TreeMap<>();
        plan.processes().forEach((type, command) -> deployments.put(type, new DeploymentBuilder()
                .withMetadata(meta(name(app, type), type))
                .withNewSpec().withReplicas(plan.formation().count(type))
                .withNewSelector().withMatchLabels(typeSelector(app, type)).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString(1)).endRollingUpdate().endStrategy()
                .withTemplate(pod(type, command, "Always")).endSpec().build()));
        return deployments;
    }

    /** Every object but the Job, in the order they are sent. */
    List<HasMetadata> serving() {
        List<HasMetadata> objects = new ArrayList<>();
        objects.addAll(deployments().values());
        if (plan.processes().containsKey(WEB)) {
            objects.add(service());
            if (!plan.hosts().isEmpty()) {
                if (plan.certificate() != null) {
                    objects.add(tlsSecret());
                }
                objects.add(ingress());
            }
        }
        for (int i = 0; i < plan.cron().size(); i++) {
            objects.add(cronJob(i + 1, plan.cron().get(i)));
        }
        return objects;
    }

    /** Everything apply sends, in its order. */
    List<HasMetadata> all() {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(envSecret());
        if (releaseJob() != null) {
            objects.add(releaseJob());
        }
        objects.addAll(serving());
        return objects;
    }

    private Service service() {
        return new ServiceBuilder().withMetadata(meta(name(app, WEB), WEB)).withNewSpec()
                .withSelector(typeSelector(app, WEB)).addNewPort().withName("http").withPort(80)
                .withTargetPort(new IntOrString(WEB_PORT)).endPort().endSpec().build();
    }

    private Ingress ingress() {
        return ingress(app, namespace, plan.release(), settings, plan.hosts(), plan.certificate() != null);
    }

    /**
     * The Ingress of an app's web Service for {@code hosts}, over TLS from Secret {@code <app>-tls}
     * when {@code tls}: built for a release, and again when the app's host names change.
     */
    static Ingress ingress(String app, String namespace, int release, DriverSettings settings, List<HostName> hosts,
                           boolean tls) {
        List<IngressRule> rules = hosts.stream().map(h -> new IngressRuleBuilder().withHost(h.value())
                .withNewHttp().addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService()
                .withName(name(app, WEB)).withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
                .endHttp().build()).toList();
        IngressBuilder ingress = new IngressBuilder().withMetadata(meta(app, namespace, release, name(app), WEB));
        var spec = ingress.withNewSpec().withRules(rules);
        if (!settings.ingressClass().isEmpty()) {
            spec.withIngressClassName(settings.ingressClass());
        }
        if (tls) {
            spec.addNewTl().withHosts(hosts.stream().map(h -> h.value()).toList())
                    .withSecretName(name(app, "tls")).endTl();
        }
        return spec.endSpec().build();
    }

    private Secret tlsSecret() {
        return tlsSecret(app, namespace, plan.release(), plan.certificate());
    }

    /** The Secret {@code <app>-tls} of the app's certificate. */
    static Secret tlsSecret(String app, String namespace, int release, TlsCertificate certificate) {
        try {
            Map<String, String> data = new LinkedHashMap<>();
            data.put("tls.crt", Base64.getEncoder().encodeToString(Files.readAllBytes(certificate.certificateChain())));
            data.put("tls.key", Base64.getEncoder().encodeToString(Files.readAllBytes(certificate.privateKey())));
            return new SecretBuilder().withMetadata(meta(app, namespace, release, name(app, "tls"), WEB))
                    .withType("kubernetes.io/tls").withData(data).build();
        } catch (IOException e) {
            throw new UncheckedIOException("The certificate of " + app + " cannot be read: " + e.getMessage(), e);
        }
    }

    private CronJob cronJob(int index, ReleasePlan.Cron cron) {
        return new CronJobBuilder().withMetadata(meta(name(app, "cron", Integer.toString(index)), "cron"))
                .withNewSpec().withSchedule(cron.schedule()).withTimeZone("Etc/UTC").withConcurrencyPolicy("Forbid")
                .withNewJobTemplate().withNewSpec().withBackoffLimit(0)
                .withTemplate(pod("cron", cron.command(), "Never")).endSpec().endJobTemplate().endSpec().build();
    }

    /**
     * The pod of a process: an init container unpacks the slug into an emptyDir (and makes the data
     * directory, HOME), the runtime image runs the command there.
     */
    PodTemplateSpec pod(String type, String command, String restartPolicy) {
        Container init = new ContainerBuilder().withName("slug").withImage(settings.initImage())
                .withCommand("/bin/sh", "-c", "curl -fsSL -H \"Authorization: Bearer $SLUG_TOKEN\" \"$SLUG_URL\" | tar -xz -C " + APP_DIR
                        + " && mkdir -p " + APP_DIR + "/data")
                .addNewEnv().withName("SLUG_URL").withValue(plan.slug().toString()).endEnv()
                .addToEnv(secretEnv("SLUG_TOKEN", SLUG_TOKEN_KEY))
                .addNewVolumeMount().withName("app").withMountPath(APP_DIR).endVolumeMount().build();
        ContainerBuilder main = new ContainerBuilder().withName(KubernetesNames.name(type)).withImage(settings.imageOf(plan.runtime()))
                .withWorkingDir(APP_DIR).withCommand("/bin/sh", "-c", command)
                .addNewVolumeMount().withName("app").withMountPath(APP_DIR).endVolumeMount();
        plan.env().keySet().stream().sorted().forEach(k -> main.addToEnv(secretEnv(k, k)));
        if (type.equals(WEB) && restartPolicy.equals("Always")) {
            main.addNewEnv().withName("PORT").withValue(Integer.toString(WEB_PORT)).endEnv()
                    .addNewPort().withName("http").withContainerPort(WEB_PORT).endPort()
                    .withNewReadinessProbe().withNewHttpGet().withPath(plan.health().path())
                    .withPort(new IntOrString(WEB_PORT)).endHttpGet().withPeriodSeconds(2).endReadinessProbe();
        }
        Map<String, Quantity> limits = limits(plan.limits());
        if (!limits.isEmpty()) {
            main.withNewResources().withLimits(limits).endResources();
        }
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels(app, plan.release(), type))
                .withAnnotations(Map.of("hop3.cloud/app-name", app)).endMetadata()
                .withNewSpec().withRestartPolicy(restartPolicy).withInitContainers(init).withContainers(main.build())
                .addNewVolume().withName("app").withNewEmptyDir().endEmptyDir().endVolume().endSpec().build();
    }

    private EnvVar secretEnv(String name, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
                .withName(envSecretName()).withKey(key).endSecretKeyRef().endValueFrom().build();
    }

    private static Map<String, Quantity> limits(ResourceLimits limits) {
        Map<String, Quantity> out = new TreeMap<>();
        if (limits.memoryBytes() != null) {
            out.put("memory", new Quantity(Long.toString(limits.memoryBytes())));
        }
        if (limits.cpus() != null) {
            out.put("cpu", new Quantity(Long.toString(Math.round(limits.cpus() * 1000)) + "m"));
        }
        return out;
    }

    private ObjectMeta meta(String name, String type) {
        return meta(app, namespace, plan.release(), name, type);
    }

    private static ObjectMeta meta(String app, String namespace, int release, String name, String type) {
        return new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .withLabels(labels(app, release, type))
                .withAnnotations(Map.of("hop3.cloud/app-name", app)).build();
    }
}
