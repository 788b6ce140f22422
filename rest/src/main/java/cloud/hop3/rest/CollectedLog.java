package cloud.hop3.rest;

import java.util.ArrayList;
import java.util.List;

import cloud.hop3.api.build.BuildLog;

/** The progress of a change (a release, a scaling), kept to be returned with the answer. */
final class CollectedLog implements BuildLog {

    private static final int MAX_LINES = 2_000;
    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void step(String text) {
        add("-----> " + text);
    }

    @Override
    public synchronized void info(String text) {
        add("       " + text);
    }

    @Override
    public synchronized void warn(String text) {
        add(" !     " + text);
    }

    private void add(String line) {
        if (lines.size() < MAX_LINES) {
            lines.add(line);
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
