package cloud.hop3.builder.ruby;

import java.util.concurrent.atomic.AtomicInteger;

import cloud.hop3.api.build.BuildLog;
import cloud.hop3.plugin.support.build.ForwardingBuildLog;

/**
 * The build log of {@code bundle install}, passed through, counting the gems that Bundler
 * installed ({@code Installing rack 2.2.22}) and those it found already there
 * ({@code Using rack 2.2.22}). Thread-safe, as the tool's output comes from another thread.
 */
final class InstalledGems extends ForwardingBuildLog {

    private final AtomicInteger installed = new AtomicInteger();
    private final AtomicInteger used = new AtomicInteger();

    InstalledGems(BuildLog log) {
        super(log);
    }

    int installed() {
        return installed.get();
    }

    int used() {
        return used.get();
    }

    /** One line for the pusher about what this build installed and what it found. */
    String summary() {
        int fresh = installed.get();
        int there = used.get();
        if (fresh == 0) {
            return "Nothing installed: all " + there + " gems were already there (on the server, or kept for the app by"
                    + " earlier builds)";
        }
        return "Installed " + (fresh == 1 ? "1 gem" : fresh + " gems") + " into the app's gem directory, kept for the"
                + " next builds; " + there + " were already there";
    }

    @Override
    public void info(String text) {
        if (text.startsWith("Installing ")) {
            installed.incrementAndGet();
        } else if (text.startsWith("Using ")) {
            used.incrementAndGet();
        }
        super.info(text);
    }
}
