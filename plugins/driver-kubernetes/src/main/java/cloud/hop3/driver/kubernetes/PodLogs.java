package cloud.hop3.driver.kubernetes;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.process.LogChunk;
import cloud.hop3.api.process.ProcessStatus;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The app's pods' logs, read with the API server's timestamps. The position is, per pod, the
 * timestamp of the last line read ({@code pod=2026-12-06T10:00:00.123456789Z,...}); a later read
 * takes the lines after it, so none comes twice. A pod not in the position is read from its start.
 */
final class PodLogs {

    private record Line(String time, String pod, String text) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final AppName app;

    PodLogs(KubernetesClient client, String namespace, AppName app) {
        this.client = client;
        this.namespace = namespace;
        this.app = app;
    }

    LogChunk tail(int lines) {
        List<Line> all = read(Map.of());
        List<Line> last = all.subList(Math.max(0, all.size() - lines), all.size());
        Map<String, String> position = new TreeMap<>();
        all.forEach(l -> position.putIfAbsent(l.pod(), ""));
        last.forEach(l -> position.put(l.pod(), l.time()));
        return chunk(last, position);
    }

    LogChunk from(String from, int max) {
        Map<String, String> position = parse(from);
        List<Line> after = read(position);
        List<Line> taken = after.subList(0, Math.min(max, after.size()));
        Map<String, String> next = new TreeMap<>(position);
        taken.forEach(l -> next.put(l.pod(), l.time()));
        return chunk(taken, next);
    }

    private List<Line> read(Map<String, String> position) {
        List<Line> lines = new ArrayList<>();
        for (ProcessStatus p : PodStates.of(app, client.pods().inNamespace(namespace)
                .withLabels(KubernetesNames.appSelector(app.value())).list().getItems())) {
            String log;
            try {
                log = client.pods().inNamespace(namespace).withName(p.id()).usingTimestamps().getLog();
            } catch (KubernetesClientException e) {
                continue;
            }
            if (log == null) {
                continue;
            }
            String after = position.getOrDefault(p.id(), "");
            int end = log.lastIndexOf('\n');
            for (String raw : end < 0 ? new String[0] : log.substring(0, end).split("\n")) {
                int space = raw.indexOf(' ');
                String time = space < 0 ? raw : raw.substring(0, space);
                if (time.compareTo(after) > 0) {
                    lines.add(new Line(time, p.id(), p.type() + "." + p.index() + " | " + (space < 0 ? "" : raw.substring(space + 1))));
                }
            }
        }
        lines.sort(Comparator.comparing(Line::time));
        return lines;
    }

    private static LogChunk chunk(List<Line> lines, Map<String, String> position) {
        StringBuilder next = new StringBuilder();
        position.forEach((pod, time) -> next.append(next.length() == 0 ? "" : ",").append(pod).append('=').append(time));
        return new LogChunk(lines.stream().map(Line::text).toList(), next.toString());
    }

    private static Map<String, String> parse(String from) {
        Map<String, String> position = new LinkedHashMap<>();
        if (from == null || from.isEmpty()) {
            return position;
        }
        for (String entry : from.split(",")) {
            int eq = entry.indexOf('=');
            if (eq < 1 || !entry.substring(eq + 1).matches("[0-9TZ:.+-]*")) {
                throw new IllegalArgumentException("'" + from + "' is not a log position of the kubernetes driver.");
            }
            position.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return position;
    }
}
