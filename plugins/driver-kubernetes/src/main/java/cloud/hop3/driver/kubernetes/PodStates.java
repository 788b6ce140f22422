package cloud.hop3.driver.kubernetes;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.ProcessState;
import cloud.hop3.api.process.ProcessStatus;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a pod's phase, conditions and container states say, in the platform's words. */
final class PodStates {

    private PodStates() {
    }

    /** One status per running pod of the app, indexed per type in the order of their names. */
    static List<ProcessStatus> of(AppName app, List<Pod> pods) {
        List<ProcessStatus> out = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        pods.stream().filter(p -> !"Succeeded".equals(phase(p)) && !"Failed".equals(phase(p)))
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getName())).forEach(p -> {
                    Map<String, String> labels = p.getMetadata().getLabels();
                    String type = labels.getOrDefault(KubernetesNames.TYPE, "");
                    int i = index.merge(type, 1, Integer::sum);
                    int release = Integer.parseInt(labels.getOrDefault(KubernetesNames.RELEASE, "0"));
                    out.add(new ProcessStatus(p.getMetadata().getName(), app, release, type, i,
                            type.equals("web") ? ReleaseObjects.WEB_PORT : 0, state(p), restarts(p), since(p), lastExit(p)));
                });
        return out;
    }

    static ProcessState state(Pod p) {
        if (p.getMetadata().getDeletionTimestamp() != null) {
            return ProcessState.STOPPING;
        }
        for (ContainerStatus c : containers(p)) {
            if (c.getState() != null && c.getState().getWaiting() != null) {
                String reason = c.getState().getWaiting().getReason();
                if ("CrashLoopBackOff".equals(reason) || "ImagePullBackOff".equals(reason) || "ErrImagePull".equals(reason)) {
                    return ProcessState.CRASHED;
                }
            }
        }
        if (ready(p)) {
            return ProcessState.RUNNING;
        }
        return restarts(p) > 0 ? ProcessState.RESTARTING : ProcessState.STARTING;
    }

    /** Why a pod is not ready: a container's waiting reason, how it ended, else "not ready". */
    static String reason(Pod p, KubernetesClient client) {
        for (ContainerStatus c : containers(p)) {
            if (c.getState() != null && c.getState().getWaiting() != null && c.getState().getWaiting().getReason() != null) {
                String last = lastExit(p);
                return c.getState().getWaiting().getReason() + (last == null ? "" : " (" + last + ")");
            }
            if (c.getState() != null && c.getState().getTerminated() != null) {
                return exit(c.getState().getTerminated());
            }
        }
        return ready(p) ? "ready" : "not ready";
    }

    static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static String lastExit(Pod p) {
        for (ContainerStatus c : containers(p)) {
            if (c.getLastState() != null && c.getLastState().getTerminated() != null) {
                return exit(c.getLastState().getTerminated());
            }
        }
        return null;
    }

    private static String exit(ContainerStateTerminated t) {
        if ("OOMKilled".equals(t.getReason())) {
            return "killed: over its memory limit";
        }
        return "exited with status " + t.getExitCode() + (t.getReason() == null ? "" : " (" + t.getReason() + ")");
    }

    private static int restarts(Pod p) {
        return containers(p).stream().mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
    }

    private static Instant since(Pod p) {
        String start = p.getStatus() == null ? null : p.getStatus().getStartTime();
        if (start == null) {
            start = p.getMetadata().getCreationTimestamp();
        }
        return start == null ? Instant.EPOCH : Instant.parse(start);
    }

    private static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    private static List<ContainerStatus> containers(Pod p) {
        List<ContainerStatus> all = new ArrayList<>();
        if (p.getStatus() != null) {
            if (p.getStatus().getInitContainerStatuses() != null) {
                all.addAll(p.getStatus().getInitContainerStatuses());
            }
            if (p.getStatus().getContainerStatuses() != null) {
                all.addAll(p.getStatus().getContainerStatuses());
            }
        }
        return all;
    }
}
