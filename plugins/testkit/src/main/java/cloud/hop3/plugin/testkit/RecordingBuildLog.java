package cloud.hop3.plugin.testkit;

import java.util.ArrayList;
import java.util.List;

import cloud.hop3.api.build.BuildLog;

/** A build log that keeps what it was told, for assertions. */
public final class RecordingBuildLog implements BuildLog {

    public final List<String> steps = new ArrayList<>();
    public final List<String> infos = new ArrayList<>();
    public final List<String> warnings = new ArrayList<>();

    @Override
    public synchronized void step(String text) {
        steps.add(text);
    }

    @Override
    public synchronized void info(String text) {
        infos.add(text);
    }

    @Override
    public synchronized void warn(String text) {
        warnings.add(text);
    }
}
