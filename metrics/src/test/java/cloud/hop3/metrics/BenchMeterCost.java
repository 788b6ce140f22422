package cloud.hop3.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import cloud.hop3.api.app.AppName;
import cloud.hop3.api.metrics.RequestMeter;

/**
 * Not a test: the CPU time one {@link RequestMeter#record} costs on the platform's collector
 * ({@link BenchRequestMetrics}, ticked and scraped as in the platform), for
 * {@code scripts/bench-metrics}, which sets it against the proxy's CPU time per request measured
 * in the same invocation. Two threads record at once, as the proxy's two I/O threads do; the
 * figure is the calling thread's CPU time (not wall time), so a busy neighbour does not inflate it.
 * Prints {@code ns-per-record <value>}.
 */
public final class BenchMeterCost {

    private BenchMeterCost() {
    }

    public static void main(String[] args) throws Exception {
        RequestMeter meter = new BenchRequestMetrics().meter(AppName.of("bench"), "web");
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long calls = 20_000_000L;
        double[] nanos = new double[2];
        for (int round = 0; round < 3; round++) {
            Thread[] threads = new Thread[2];
            for (int t = 0; t < threads.length; t++) {
                int slot = t;
                threads[t] = new Thread(() -> {
                    long start = cpu.getCurrentThreadCpuTime();
                    for (long i = 0; i < calls; i++) {
                        meter.record(i % 50 == 0 ? 503 : 200, 200_000 + (i & 0xffff) * 10);
                    }
                    nanos[slot] = (double) (cpu.getCurrentThreadCpuTime() - start) / calls;
                });
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        System.out.printf("ns-per-record %.1f%n", (nanos[0] + nanos[1]) / 2);
    }
}
