package cloud.hop3.itests;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Clients that request one app's page in a loop until closed, as users keep doing while an
 * operator changes the app: every answer other than 200 and every error is kept, to be asserted
 * empty.
 */
final class Load implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong longestNanos = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicReference<String> last = new AtomicReference<>("");
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> clients = new ArrayList<>();

    Load(int clients, int port, String host, String path) {
        this(clients, port, host, path, 30_000);
    }

    /** Clients that wait at most {@code timeoutMillis} for an answer, as a browser waits longer than 30 s. */
    Load(int clients, int port, String host, String path, int timeoutMillis) {
        for (int i = 0; i < clients; i++) {
            Thread t = new Thread(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        Http.Response r = Http.get(port, host, path, timeoutMillis);
                        longestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        if (r.status() == 200) {
                            ok.incrementAndGet();
                            last.set(r.body());
                        } else {
                            failures.add("status " + r.status() + ": " + r.body());
                        }
                    } catch (IOException e) {
                        if (e instanceof java.net.ConnectException) {
                            refused.incrementAndGet();
                        }
                        failures.add(e.toString());
                    }
                }
            }, "load-" + host + "-" + i);
            t.setDaemon(true);
            t.start();
            this.clients.add(t);
        }
    }

    /** Requests answered 200 so far. */
    int succeeded() {
        return ok.get();
    }

    /** Connections refused so far (nothing listened on the port): part of {@link #failures()}. */
    int refused() {
        return refused.get();
    }

    /** The longest time, in milliseconds, that a request answered (whatever the answer) took. */
    long longestMillis() {
        return java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(longestNanos.get());
    }

    /** The body of the latest answer 200. */
    String lastBody() {
        return last.get();
    }

    /** What failed so far: statuses other than 200, and errors. */
    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : clients) {
            t.join(10_000);
        }
    }
}
