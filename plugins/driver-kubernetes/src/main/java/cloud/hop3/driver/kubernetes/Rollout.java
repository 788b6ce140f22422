package cloud.hop3.driver.kubernetes;

import static cloud.hop3.driver.kubernetes.KubernetesNames.appSelector;

import cloud.hop3.api.process.ProcessException;
import cloud.hop3.api.process.ReleasePlan;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One {@code apply}: the env Secret, the release Job run to success, the serving objects, the wait
 * for every Deployment's rollout, then the removal of what the release replaced. A rollout that
 * misses the deadline puts the previous Deployments back.
 */
final class Rollout {

    private final KubernetesClient client;
    private final DriverSettings settings;
    private final ReleasePlan plan;
    private final ReleaseObjects objects;
    private final Consumer<String> progress;
    private final long deadline;

    Rollout(KubernetesClient client, DriverSettings settings, ReleasePlan plan, Consumer<String> progress) {
        this.client = client;
        this.settings = settings;
        this.plan = plan;
        this.objects = new ReleaseObjects(plan, settings);
        this.progress = progress;
        this.deadline = System.nanoTime() + plan.deadline().toNanos();
    }

    void run() throws ProcessException, InterruptedException {
        String ns = objects.namespace();
        String app = plan.app().value();
        progress.accept("Applying release " + plan.release() + " of " + app + " in namespace " + ns);
        ConflictRetry.apply(client, objects.envSecret());
        Job job = objects.releaseJob();
        if (job != null) {
            runReleaseJob(job);
        }
        Map<String, Deployment> previous = new HashMap<>();
        client.apps().deployments().inNamespace(ns).withLabels(appSelector(app)).list().getItems()
                .forEach(d -> previous.put(d.getMetadata().getName(), d));
        List<HasMetadata> serving = objects.serving();
        for (HasMetadata object : serving) {
            ConflictRetry.apply(client, object);
            progress.accept("Applied " + object.getKind() + " " + object.getMetadata().getName());
        }
        List<String> names = objects.deployments().values().stream().map(d -> d.getMetadata().getName()).toList();
        String notReady = awaitRollout(names);
        if (notReady != null) {
            rollBack(names, previous);
            removeFailed(previous);
            throw new ProcessException("Release " + plan.release() + " of " + app + " was not ready within "
                    + plan.deadline().toSeconds() + "s, the previous release still serves: " + notReady);
        }
        removeReplaced(serving);
        progress.accept("Release " + plan.release() + " of " + app + " serves");
    }

    private void runReleaseJob(Job job) throws ProcessException, InterruptedException {
        String ns = objects.namespace();
        String name = job.getMetadata().getName();
        Job existing = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
        if (existing != null && succeeded(existing)) {
            return;
        }
        if (existing != null) {
            client.resource(existing).delete();
        }
        progress.accept("Running the release command (Job " + name + ")");
        client.resource(job).create();
        while (true) {
            Job now = client.batch().v1().jobs().inNamespace(ns).withName(name).get();
            if (now != null && succeeded(now)) {
                return;
            }
            boolean failed = now != null && now.getStatus() != null && now.getStatus().getFailed() != null
                    && now.getStatus().getFailed() > 0;
            if (failed || System.nanoTime() > deadline) {
                String reasons = reasons(podsOf("release"));
                client.batch().v1().jobs().inNamespace(ns).withName(name).delete();
                client.secrets().inNamespace(ns).withName(objects.envSecretName()).delete();
                throw new ProcessException("The release command of release " + plan.release() + " of "
                        + plan.app() + (failed ? " failed" : " did not end within " + plan.deadline().toSeconds() + "s")
                        + "; nothing else changed: " + reasons);
            }
            Thread.sleep(settings.poll().toMillis());
        }
    }

    private static boolean succeeded(Job job) {
        return job.getStatus() != null && job.getStatus().getSucceeded() != null && job.getStatus().getSucceeded() > 0;
    }

    /** Waits for every Deployment's rollout; null when all are complete, else the pods' reasons. */
    private String awaitRollout(List<String> names) throws InterruptedException {
        String ns = objects.namespace();
        while (true) {
            boolean done = names.stream().allMatch(n -> complete(client.apps().deployments().inNamespace(ns).withName(n).get()));
            if (done) {
                return null;
            }
            if (System.nanoTime() > deadline) {
                return reasons(podsOf(null));
            }
            Thread.sleep(settings.poll().toMillis());
        }
    }

    static boolean complete(Deployment d) {
        if (d == null) {
            return false;
        }
        int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        var s = d.getStatus();
        if (s == null) {
            return want == 0;
        }
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        long observed = s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
        return observed >= generation && n(s.getReplicas()) == want && n(s.getUpdatedReplicas()) == want
                && n(s.getReadyReplicas()) == want;
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    private List<Pod> podsOf(String type) {
        var pods = client.pods().inNamespace(objects.namespace()).withLabels(appSelector(plan.app().value()))
                .withLabel(KubernetesNames.RELEASE, Integer.toString(plan.release()));
        return (type == null ? pods : pods.withLabel(KubernetesNames.TYPE, type)).list().getItems();
    }

    private String reasons(List<Pod> pods) {
        if (pods.isEmpty()) {
            return "no pod was started (see the namespace's events: quota, scheduling)";
        }
        return pods.stream().map(p -> p.getMetadata().getName() + ": " + PodStates.reason(p, client))
                .sorted().collect(Collectors.joining("; "));
    }

    private void rollBack(List<String> names, Map<String, Deployment> previous) throws InterruptedException {
        String ns = objects.namespace();
        for (String name : names) {
            Deployment before = previous.get(name);
            if (before == null) {
                client.apps().deployments().inNamespace(ns).withName(name).delete();
            } else {
                ConflictRetry.retrying(() -> client.apps().deployments().inNamespace(ns).withName(name).edit(d -> {
                    d.setSpec(before.getSpec());
                    d.getMetadata().setLabels(before.getMetadata().getLabels());
                    return d;
                }));
            }
        }
        progress.accept("Rolled back to the previous Deployments of " + plan.app());
    }

    /**
     * Deletes the env Secret and the release Job of this release, which did not serve, unless the
     * previous Deployments run this very release: the number of a failed release is the next
     * one's, whose release command must run, and whose token is a new one.
     */
    private void removeFailed(Map<String, Deployment> previous) {
        String release = Integer.toString(plan.release());
        boolean serving = previous.values().stream().anyMatch(d -> d.getSpec().getTemplate().getMetadata() != null
                && release.equals(d.getSpec().getTemplate().getMetadata().getLabels().get(KubernetesNames.RELEASE)));
        if (serving) {
            return;
        }
        String ns = objects.namespace();
        client.secrets().inNamespace(ns).withName(objects.envSecretName()).delete();
        Job job = objects.releaseJob();
        if (job != null) {
            client.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).delete();
        }
    }

    /** Deletes the app's objects of other releases that this one replaced or dropped. */
    private void removeReplaced(List<HasMetadata> serving) {
        String ns = objects.namespace();
        Map<String, String> app = appSelector(plan.app().value());
        String release = Integer.toString(plan.release());
        Set<String> kept = serving.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).collect(Collectors.toSet());
        List<HasMetadata> old = new ArrayList<>();
        old.addAll(client.secrets().inNamespace(ns).withLabels(app).withoutLabel(KubernetesNames.RELEASE, release).list().getItems());
        old.addAll(client.batch().v1().jobs().inNamespace(ns).withLabels(app).withoutLabel(KubernetesNames.RELEASE, release).list().getItems());
        old.addAll(client.apps().deployments().inNamespace(ns).withLabels(app).list().getItems());
        old.addAll(client.services().inNamespace(ns).withLabels(app).list().getItems());
        old.addAll(client.network().v1().ingresses().inNamespace(ns).withLabels(app).list().getItems());
        old.addAll(client.batch().v1().cronjobs().inNamespace(ns).withLabels(app).list().getItems());
        for (HasMetadata o : old) {
            boolean current = kept.contains(o.getKind() + "/" + o.getMetadata().getName())
                    || o.getMetadata().getName().equals(objects.envSecretName());
            if (!current) {
                client.resource(o).delete();
                progress.accept("Removed " + o.getKind() + " " + o.getMetadata().getName());
            }
        }
    }
}
