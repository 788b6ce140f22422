package cloud.hop3.driver.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Plays the kubelet and the controllers for a mock API server in CRUD mode, which stores objects
 * but runs nothing: every few milliseconds it makes the pods of each Deployment's template and of
 * each Job, gives them the status the {@code outcome} function chooses from their command, and
 * writes the Deployments' and Jobs' status as their controllers would (old pods go once the new
 * ones are ready, as with maxUnavailable 0), and removes the pods of Deployments that are gone, as
 * the garbage collector would. Reusable by any test that drives the Kubernetes driver.
 */
public final class Kubelet implements AutoCloseable {

    /** What a pod does. */
    public enum Outcome { READY, CRASH_LOOP, IMAGE_PULL_BACKOFF, NOT_READY, FAIL }

    private final KubernetesClient client;
    private volatile Function<String, Outcome> outcome = command -> command.contains("exit 1") ? Outcome.FAIL
            : command.contains("crash") ? Outcome.CRASH_LOOP : Outcome.READY;
    private final Thread thread;
    private volatile boolean running = true;

    public Kubelet(KubernetesClient client) {
        this.client = client;
        this.thread = new Thread(this::loop, "kubelet");
        thread.setDaemon(true);
        thread.start();
    }

    /** Chooses what a pod does from its main container's command. */
    public Kubelet outcome(Function<String, Outcome> outcome) {
        this.outcome = outcome;
        return this;
    }

    private void loop() {
        while (running) {
            try {
                client.apps().deployments().inAnyNamespace().list().getItems().forEach(this::deployment);
                collectOrphans();
                client.batch().v1().jobs().inAnyNamespace().list().getItems().forEach(this::job);
                client.pods().inAnyNamespace().withLabel("hop3.cloud/process-type", "run").list().getItems().forEach(this::oneOff);
                Thread.sleep(30);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // an object changed under us: the next round sees the new state
            }
        }
    }

    private void deployment(Deployment d) {
        String ns = d.getMetadata().getNamespace();
        String hash = Integer.toHexString(d.getSpec().getTemplate().hashCode());
        int want = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        List<Pod> pods = client.pods().inNamespace(ns).withLabels(d.getSpec().getSelector().getMatchLabels()).list().getItems();
        List<Pod> current = pods.stream().filter(p -> hash.equals(p.getMetadata().getLabels().get("pod-template-hash"))).toList();
        for (int i = current.size(); i < want; i++) {
            create(ns, d.getMetadata().getName() + "-" + hash + "-" + i, d.getSpec().getTemplate(), hash, false);
        }
        for (int i = want; i < current.size(); i++) {
            client.resource(current.get(i)).delete();
        }
        current = client.pods().inNamespace(ns).withLabels(d.getSpec().getSelector().getMatchLabels()).withLabel("pod-template-hash", hash).list().getItems();
        long ready = current.stream().filter(PodStates::ready).count();
        if (ready >= want) {
            pods.stream().filter(p -> !hash.equals(p.getMetadata().getLabels().get("pod-template-hash"))).forEach(p -> client.resource(p).delete());
        }
        List<Pod> all = client.pods().inNamespace(ns).withLabels(d.getSpec().getSelector().getMatchLabels()).list().getItems();
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        d.setStatus(new DeploymentStatusBuilder().withReplicas(all.size()).withUpdatedReplicas(Math.min(current.size(), want))
                .withReadyReplicas((int) all.stream().filter(PodStates::ready).count())
                .withAvailableReplicas((int) all.stream().filter(PodStates::ready).count())
                .withObservedGeneration(generation).build());
        client.resource(d).updateStatus();
    }

    /** Deletes the pods made for a Deployment (not for a Job) that no Deployment selects any more. */
    private void collectOrphans() {
        List<Deployment> now = client.apps().deployments().inAnyNamespace().list().getItems();
        for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
            Map<String, String> labels = pod.getMetadata().getLabels();
            String hash = labels == null ? null : labels.get("pod-template-hash");
            if (hash == null || hash.equals("job")) {
                continue;
            }
            boolean owned = now.stream().anyMatch(d -> d.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace())
                    && labels.entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet()));
            if (!owned) {
                client.resource(pod).delete();
            }
        }
    }

    private void job(Job job) {
        if (job.getStatus() != null && (job.getStatus().getSucceeded() != null || job.getStatus().getFailed() != null)) {
            return;
        }
        String ns = job.getMetadata().getNamespace();
        Pod pod = create(ns, job.getMetadata().getName() + "-pod", job.getSpec().getTemplate(), "job", true);
        boolean ok = "Succeeded".equals(pod.getStatus().getPhase());
        job.setStatus(ok ? new JobStatusBuilder().withSucceeded(1).build() : new JobStatusBuilder().withFailed(1).build());
        client.resource(job).updateStatus();
    }

    private void oneOff(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
            Pod done = status(pod, true);
            client.resource(done).updateStatus();
        }
    }

    private Pod create(String ns, String name, PodTemplateSpec template, String hash, boolean toEnd) {
        Pod existing = client.pods().inNamespace(ns).withName(name).get();
        if (existing != null) {
            return existing;
        }
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .withLabels(template.getMetadata().getLabels()).addToLabels("pod-template-hash", hash).endMetadata()
                .withSpec(template.getSpec()).build();
        Pod created = client.resource(pod).create();
        Pod withStatus = status(created, toEnd);
        client.resource(withStatus).updateStatus();
        return withStatus;
    }

    private Pod status(Pod pod, boolean toEnd) {
        List<String> command = pod.getSpec().getContainers().get(0).getCommand();
        Outcome what = outcome.apply(String.join(" ", command));
        String now = Instant.now().toString();
        String container = pod.getSpec().getContainers().get(0).getName();
        var status = new ContainerStatusBuilder().withName(container).withImage(pod.getSpec().getContainers().get(0).getImage());
        String phase;
        boolean ready = false;
        if (toEnd) {
            int code = what == Outcome.READY ? 0 : 1;
            phase = code == 0 ? "Succeeded" : "Failed";
            status.withNewState().withNewTerminated().withExitCode(code).withReason(code == 0 ? "Completed" : "Error")
                    .withFinishedAt(now).endTerminated().endState();
        } else {
            switch (what) {
                case READY -> {
                    ready = true;
                    status.withReady(true).withNewState().withNewRunning().withStartedAt(now).endRunning().endState();
                }
                case CRASH_LOOP, FAIL -> status.withRestartCount(3).withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                        .endWaiting().endState().withNewLastState().withNewTerminated().withExitCode(1).withReason("Error")
                        .endTerminated().endLastState();
                case IMAGE_PULL_BACKOFF -> status.withNewState().withNewWaiting().withReason("ImagePullBackOff").endWaiting().endState();
                default -> status.withNewState().withNewRunning().withStartedAt(now).endRunning().endState();
            }
            phase = what == Outcome.IMAGE_PULL_BACKOFF ? "Pending" : "Running";
        }
        return new PodBuilder(pod).withNewStatus().withPhase(phase).withStartTime(now)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .withContainerStatuses(status.build()).endStatus().build();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(2000);
    }

    /** The labels of every pod this kubelet made for a Deployment. */
    static Map<String, String> labelsOf(Pod pod) {
        return pod.getMetadata().getLabels();
    }
}
