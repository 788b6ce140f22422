package cloud.hop3.builder.go;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import cloud.hop3.api.build.BuildLog;
import cloud.hop3.plugin.support.build.ForwardingBuildLog;

/**
 * The build log of {@code go build -v}, passed through, counting the packages that go compiled:
 * with {@code -v} it prints each package's import path as it compiles it, and nothing for a
 * package that it takes from the build cache. Thread-safe, as the tool's output comes from
 * another thread.
 */
final class CompiledPackages extends ForwardingBuildLog {

    /** An import path alone on its line, as {@code -v} prints it. */
    private static final Pattern IMPORT_PATH = Pattern.compile("[A-Za-z0-9_.~+-]+(/[A-Za-z0-9_.~+-]+)*");

    private final AtomicInteger count = new AtomicInteger();

    CompiledPackages(BuildLog log) {
        super(log);
    }

    /** How many packages go compiled so far. */
    int count() {
        return count.get();
    }

    @Override
    public void info(String text) {
        if (IMPORT_PATH.matcher(text).matches()) {
            count.incrementAndGet();
        }
        super.info(text);
    }
}
