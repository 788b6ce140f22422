package cloud.hop3.plugin.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client threads that send requests to a proxy, one after the other, until stopped (or for two
 * minutes at the most), while the test reloads, replaces or retires the proxy; it counts the
 * requests answered as expected and keeps what went wrong with the others.
 */
public final class RequestLoad implements AutoCloseable {

    private static final Duration LONGEST = Duration.ofMinutes(2);

    /** One client: sends a request at a time. */
    @FunctionalInterface
    public interface Client extends AutoCloseable {

        /**
         * Sends one request; returns what was wrong with the answer, or empty when it was the
         * expected one. An exception counts as a failed request, described by its text.
         */
        Optional<String> send() throws Exception;

        /** Closes what this client holds (its connection); nothing by default. */
        @Override
        default void close() throws Exception {
        }
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger served = new AtomicInteger();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();

    private RequestLoad() {
    }

    /** Starts {@code clients} threads that each send requests with the one client given. */
    public static RequestLoad start(int clients, Client client) {
        return start(clients, () -> client);
    }

    /** Starts {@code clients} threads that each open their own client (a kept-alive connection). */
    public static RequestLoad start(int clients, Callable<Client> open) {
        RequestLoad load = new RequestLoad();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> load.run(open), "request-load-" + i);
            thread.start();
            load.threads.add(thread);
        }
        return load;
    }

    /**
     * A client that asks for {@code /} of {@code host} on {@code port}, a connection a request, and
     * expects status 200 with a body that starts with {@code bodyStart}.
     */
    public static Client get(int port, String host, String bodyStart) {
        return () -> {
            OneShotHttp.Response response = OneShotHttp.get(port, host, "/");
            return response.status() == 200 && response.body().startsWith(bodyStart) ? Optional.empty()
                    : Optional.of(response.status() + " " + response.body());
        };
    }

    private void run(Callable<Client> open) {
        long deadline = System.nanoTime() + LONGEST.toNanos();
        try (Client client = open.call()) {
            while (running.get() && System.nanoTime() < deadline) {
                Optional<String> failure;
                try {
                    failure = client.send();
                } catch (Exception e) {
                    failure = Optional.of(e.toString());
                }
                if (failure.isPresent()) {
                    failures.add(failure.get());
                } else {
                    served.incrementAndGet();
                }
            }
        } catch (Exception e) {
            failures.add(e.toString());
        }
    }

    /** How many requests were answered as expected so far. */
    public int served() {
        return served.get();
    }

    /**
     * Waits until {@code more} requests more than now were answered as expected; fails when that
     * takes longer than {@code timeout}.
     */
    public void awaitMore(int more, Duration timeout) throws InterruptedException {
        int target = served.get() + more;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (served.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no progress in " + timeout + ": " + served.get() + " requests served, "
                        + failures.size() + " failed");
            }
            Thread.sleep(2);
        }
    }

    /** What went wrong with the other requests so far, in order. */
    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /** Lets each client finish its request in flight, and waits for the threads (10 seconds each at most). */
    public void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
