package cloud.hop3.api.metrics;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A process driver's report of what its processes use; registered by a driver beside its
 * {@link cloud.hop3.api.process.ProcessDriver} (core's {@code local} driver reads {@code /proc}).
 * The metrics bundle asks every few seconds.
 * <p>
 * <b>Callers.</b> The metrics bundle, from one thread; it must answer in milliseconds and never
 * throw for a process that ends while it is read.
 */
@ConsumerType
public interface ProcessUsageSource {

    /** Every process the driver supervises now, in any state but stopped. */
    List<ProcessUsage> usage();
}
