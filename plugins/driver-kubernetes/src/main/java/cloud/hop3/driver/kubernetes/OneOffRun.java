package cloud.hop3.driver.kubernetes;

import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ProcessLaunch;
import cloud.hop3.api.process.ReleasePlan;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** A one-off command of an app ({@code app:run}) as a Pod of its release, run to its end. */
final class OneOffRun {

    private final KubernetesClient client;
    private final DriverSettings settings;
    private final ReleasePlan plan;

    OneOffRun(KubernetesClient client, DriverSettings settings, ReleasePlan plan) {
        this.client = client;
        this.settings = settings;
        this.plan = plan;
    }

    int run(ProcessLaunch launch, OutputStream output, Duration timeout) throws ProcessException, InterruptedException {
        if (plan == null || plan.release() != launch.release()) {
            throw new ProcessException("Release " + launch.release() + " of " + launch.app()
                    + " is not the one this driver applied last; deploy it before running a command in it.");
        }
        ReleaseObjects objects = new ReleaseObjects(plan, settings);
        String name = KubernetesNames.name(launch.app().value(), "run", Long.toString(ThreadLocalRandom.current().nextLong(1L << 32), 36));
        var template = objects.pod("run", launch.command(), "Never");
        Pod pod = new PodBuilder().withMetadata(template.getMetadata()).withSpec(template.getSpec())
                .editMetadata().withName(name).withNamespace(objects.namespace()).endMetadata().build();
        var resource = client.pods().inNamespace(objects.namespace()).withName(name);
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
