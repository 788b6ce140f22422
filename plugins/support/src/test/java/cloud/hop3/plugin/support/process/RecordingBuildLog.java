package cloud.hop3.plugin.support.process;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import cloud.hop3.api.build.BuildLog;

/** A build log that keeps what it was told, for assertions, and can watch lines as they come. */
final class RecordingBuildLog implements BuildLog {

    private final List<String> steps = new ArrayList<>();
    private final List<String> infos = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Consumer<String> watcher;

    RecordingBuildLog() {
        this(line -> { });
    }

    RecordingBuildLog(Consumer<String> watcher) {
        this.watcher = watcher;
    }

    @Override
    public synchronized void step(String text) {
        steps.add(text);
    }

    @Override
    public void info(String text) {
        synchronized (this) {
            infos.add(text);
        }
        watcher.accept(text);
    }

    @Override
    public synchronized void warn(String text) {
        warnings.add(text);
    }

    synchronized List<String> infos() {
        return List.copyOf(infos);
    }

    synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }
}
