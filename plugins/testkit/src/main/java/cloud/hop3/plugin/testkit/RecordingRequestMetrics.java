package cloud.hop3.plugin.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.metrics.RequestMeter;
import cloud.hop3.api.metrics.RequestMetrics;

/**
 * A metrics service for proxy tests: keeps each request a proxy records as
 * {@code "<app> <process type> <status>"}, and its nanoseconds apart. Thread-safe.
 */
public final class RecordingRequestMetrics implements RequestMetrics {

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Long> nanos = new CopyOnWriteArrayList<>();

    @Override
    public RequestMeter meter(AppName app, String processType) {
        return (status, time) -> {
            nanos.add(time);
            requests.add(app + " " + processType + " " + status);
        };
    }

    /** The requests recorded so far, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** Their times, in nanoseconds. */
    public List<Long> nanos() {
        return List.copyOf(nanos);
    }

    /**
     * Waits up to 10 s until {@code count} requests are recorded (a proxy that reads its server's
     * log records them a moment after they were answered), then a further 300 ms for any that
     * should not be, and returns them sorted.
     */
    public List<String> await(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (requests.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        return requests().stream().sorted().toList();
    }

    /**
     * The requests recorded after a further second, sorted: for a test that checks that a
     * request is not counted, the time a proxy that reads its server's log would take to count it.
     */
    public List<String> settled() throws InterruptedException {
        Thread.sleep(1000);
        return requests().stream().sorted().toList();
    }
}
