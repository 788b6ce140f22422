package cloud.hop3.driver.kubernetes;

import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** A one-off command of an app ({@code app:run}) as a Pod of its release, run to its end. */
final class OneOffRun {

    private final KubernetesClient client;
    private final DriverSettings settings;
    private final String namespace;
    private final PodTemplateSpec template;

    /** A run in a pod made from {@code template}, the pod of a process of the release, in {@code namespace}. */
    OneOffRun(KubernetesClient client, DriverSettings settings, String namespace, PodTemplateSpec template) {
        this.client = client;
        this.settings = settings;
        this.namespace = namespace;
        this.template = template;
    }

    /**
     * The pod template of a command of the serving release, made from the pod of one of its
     * Deployments (when the platform restarted since the release was applied): its
     * image, environment and slug, with the command instead, no probe, no port, and no restart.
     */
    static PodTemplateSpec fromDeployment(Deployment deployment, String command) {
        PodTemplateSpec t = new PodTemplateSpecBuilder(deployment.getSpec().getTemplate()).build();
        Map<String, String> labels = new LinkedHashMap<>(t.getMetadata().getLabels());
        labels.put(KubernetesNames.TYPE, "run");
        t.getMetadata().setLabels(labels);
        t.getSpec().setRestartPolicy("Never");
        Container main = t.getSpec().getContainers().get(0);
        main.setCommand(List.of("/bin/sh", "-c", command));
        main.setReadinessProbe(null);
        main.setPorts(List.of());
        return t;
    }

    int run(ProcessLaunch launch, OutputStream output, Duration timeout) throws ProcessException, InterruptedException {
        String name = KubernetesNames.name(launch.app().value(), "run", Long.toString(ThreadLocalRandom.current().nextLong(1L << 32), 36));
        Pod pod = new PodBuilder().withMetadata(template.getMetadata()).withSpec(template.getSpec())
                .editMetadata().withName(name).withNamespace(namespace).endMetadata().build();
        var resource = client.pods().inNamespace(namespace).withName(name);
        client.resource(pod).create();
        try {
            long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                Pod now = resource.get();
                String phase = now == null || now.getStatus() == null ? null : now.getStatus().getPhase();
                if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                    copyLog(resource.getLog(), output);
                    return exitCode(now);
                }
                if (System.nanoTime() > end) {
                    throw new ProcessException("The command '" + launch.command() + "' of " + launch.app()
                            + " did not end within " + timeout.toSeconds() + "s; its pod " + name + " was deleted.");
                }
                Thread.sleep(settings.poll().toMillis());
            }
        } finally {
            resource.delete();
        }
    }

    private static void copyLog(String log, OutputStream output) throws ProcessException {
        try {
            if (log != null) {
                output.write(log.getBytes(StandardCharsets.UTF_8));
            }
            output.flush();
        } catch (IOException e) {
            throw new ProcessException("The output of the command cannot be copied: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a pod whose log the server no longer has: its exit status still counts
        }
    }

    private static int exitCode(Pod pod) {
        for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
            if (c.getState() != null && c.getState().getTerminated() != null) {
                return c.getState().getTerminated().getExitCode();
            }
        }
        return "Succeeded".equals(pod.getStatus().getPhase()) ? 0 : 1;
    }
}
